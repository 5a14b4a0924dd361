/*
 * Shared between the demo generator's files of src/cli only.
 */
#ifndef HANNA_CLI_DEMO_H
#define HANNA_CLI_DEMO_H

#include <stdint.h>

struct db;

/* Makes ncases demo cases (demo_cases.c) for persons first_person .. first_person+npersons-1,
 * assigned among workers (user ids) in unit_id. Each decision is taken at the lowest level the
 * tenant's delegation order allows, naming its point: by the case's caseworker, by manager (a
 * unit manager's user id) or by the committee. 0 or -1. */
int demo_cases(struct db *db, int64_t tenant, int64_t first_person, long npersons, long ncases,
               int64_t unit_id, const int64_t *workers, int nworkers, int64_t manager);

#endif
