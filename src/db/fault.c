/*
 * The fault-injecting backend (STYLE.md rules 17 and 21): "fault:PATH" opens SQLite at PATH
 * through a wrapper that makes the Nth statement execution from db_fault_arm() fail, so that
 * tests can replay a mutating scenario with call 1, 2, 3, ... failing and check that nothing
 * is left half-written. For tests only; nothing in production opens "fault:".
 */
#include <pthread.h>
#include <stdatomic.h>

#include "../base/err.h"
#include "driver.h"

static atomic_long countdown; /* calls left before the fault; 0 = disarmed */
static atomic_long fired;     /* faults injected since arming */

void
db_fault_arm(long nth)
{
	atomic_store(&fired, 0);
	atomic_store(&countdown, nth);
}

long
db_fault_fired(void)
{
	return atomic_load(&fired);
}

/* True when this call is the one to fail. */
static bool
hit(void)
{
	long v = atomic_load(&countdown);
	while (v > 0) {
		if (atomic_compare_exchange_weak(&countdown, &v, v - 1)) {
			if (v == 1) {
				atomic_fetch_add(&fired, 1);
				return true;
			}
			return false;
		}
	}
	return false;
}

static int
f_exec(void *h, const char *sql)
{
	/* Transaction control itself is not faulted: the scenario's statements are. */
	return db_sqlite_driver.exec(h, sql);
}

static int
f_step(void *h, void *st)
{
	if (hit())
		return HERR_DB;
	return db_sqlite_driver.step(h, st);
}

static struct db_driver fault_driver;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
init(void)
{
	fault_driver = db_sqlite_driver;
	fault_driver.name = "fault";
	fault_driver.exec = f_exec;
	fault_driver.step = f_step;
}

const struct db_driver *
db__fault_driver(void)
{
	pthread_once(&once, init);
	return &fault_driver;
}
