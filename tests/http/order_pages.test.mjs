// The caseworker's order pages (issue 4, gaps after the first build): the order view with the
// provider's implementation plan, goal follow-up, overall responsibility, ending an order and
// the change of provider as forms with field errors; orders not answered in time in the work
// queue (/arenden) and in GET /api/v1/followups. Every page read audited; a provider's user
// never reaches these pages.
import { after, before, test } from 'node:test';

import { assert, shutdownTest, startServer } from './harness.mjs';
import { addDays, decided, orgNr } from './orders_fixture.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const state = {};
const form = (user, path, f) => s.as(user, 'POST', path, { form: f });
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

test('setup: a granted decision, a second approved provider, an order to the demo provider', async () => {
	const list = await s.as('admin', 'GET', '/api/v1/providers');
	state.a = list.json.items.find((p) => p.name === 'Omsorg i Hannaby AB').id;
	const b = await s.as('admin', 'POST', '/api/v1/providers', {
		json: {
			name: 'Byte Omsorg AB', org_nr: orgNr('556123457'), kind: 'private', approved_from: '2024-01-01',
			services: [{ service: 'hemtjanst_service' }], areas: [{ area: 'Hannaby' }],
		},
	});
	assert.equal(b.status, 201, b.text);
	state.b = b.json.id;
	Object.assign(state, await decided(s, 'granted'));
	const o = await s.as('handlaggare', 'POST', `/api/v1/decisions/${state.decision.id}/orders`, { json: { provider_id: state.a } });
	assert.equal(o.status, 201, o.text);
	state.order = o.json.id;
	state.goals = o.json.goals;
});

test('an order not answered in time shows in the work queue and in the follow-up list', async () => {
	const before = await s.as('handlaggare', 'GET', '/arenden');
	assert.equal(before.status, 200, before.text);
	assert.doesNotMatch(before.text, /inte besvarats i tid/);
	const fresh = await s.as('handlaggare', 'GET', '/api/v1/followups');
	assert.equal(fresh.status, 200, fresh.text);
	assert.ok(!fresh.json.overdue_orders.some((x) => x.order_id === state.order), 'not late yet');

	const late = addDays(today(), -1);
	s.sql(`UPDATE orders SET answer_due = '${late}' WHERE id = ${state.order}`);
	const q = await s.as('handlaggare', 'GET', '/arenden');
	assert.equal(q.status, 200, q.text);
	assert.match(q.text, /Beställningar som inte besvarats i tid/);
	assert.match(q.text, new RegExp(`href="/bestallningar/${state.order}"`));
	assert.match(q.text, new RegExp(`${state.person.given_name} ${state.person.family_name}`));
	const f = await s.as('handlaggare', 'GET', '/api/v1/followups');
	const item = f.json.overdue_orders.find((x) => x.order_id === state.order);
	assert.ok(item, f.text);
	assert.equal(item.answer_due, late);
	assert.equal(item.provider_id, state.a);
	assert.equal(item.person_id, state.person.id);
	// Only the caseworker who sent it is reminded.
	const other = await s.as('chef', 'GET', '/api/v1/followups');
	if (other.status === 200)
		assert.ok(!other.json.overdue_orders.some((x) => x.order_id === state.order));
	const audit = await s.auditOf(state.person.id);
	assert.ok(audit.some((a) => a.username === 'handlaggare' && a.entity === 'order_list' && a.action === 'read'));
	assert.ok(audit.some((a) => a.username === 'handlaggare' && a.entity === 'followup' && a.action === 'list'));

	const view = await s.as('handlaggare', 'GET', `/bestallningar/${state.order}`);
	assert.equal(view.status, 200, view.text);
	assert.match(view.text, /Ej besvarad i tid/);
	assert.match(view.text, /Omsorg i Hannaby AB/);
	assert.match(view.text, /Utföraren har inte skrivit någon genomförandeplan ännu/);
	// The choice step links to the order.
	const step = await s.as('handlaggare', 'GET', `/beslut/${state.decision.id}/utforare`);
	assert.match(step.text, new RegExp(`href="/bestallningar/${state.order}"`));
	// Answered, it is no longer late.
	assert.equal((await s.as('personal', 'POST', `/api/v1/orders/${state.order}/accept`, { json: {} })).status, 200);
	const after = await s.as('handlaggare', 'GET', '/arenden');
	assert.doesNotMatch(after.text, /inte besvarats i tid/);
});

test('the caseworker reads the implementation plan and follows up goals with field errors', async () => {
	const [g1, g2] = state.goals;
	const p = await s.as('personal', 'PUT', `/api/v1/orders/${state.order}/plan`, {
		json: {
			version: 0, participation: 'Planen skrevs med kunden.',
			items: [{ goal_id: g1.id, what: 'Städning', when: 'Tisdagar', how: 'Två personal' }],
		},
	});
	assert.equal(p.status, 200, p.text);
	const view = await s.as('handlaggare', 'GET', `/bestallningar/${state.order}`);
	assert.equal(view.status, 200, view.text);
	assert.match(view.text, /Planen skrevs med kunden\./);
	assert.match(view.text, /<td>Städning<\/td><td>Tisdagar<\/td><td>Två personal<\/td>/);
	assert.match(view.text, /Följ upp ett mål/);

	const bad = await form('handlaggare', `/bestallningar/${state.order}/uppfoljning`, { goal_id: String(g1.id), date: '2024-13-01' });
	assert.equal(bad.status, 400, bad.text);
	assert.match(bad.text, /id="f-status-fel"/);
	assert.match(bad.text, /välj en bedömning/);
	assert.match(bad.text, /id="f-date-fel"/);
	assert.match(bad.text, /aria-invalid="true"/);
	assert.match(bad.text, /href="#f-status"/);
	const wrongGoal = await form('handlaggare', `/bestallningar/${state.order}/uppfoljning`, { goal_id: '999999', status: 'met' });
	assert.equal(wrongGoal.status, 422, wrongGoal.text);
	assert.match(wrongGoal.text, /målet hör inte till beställningen/);
	assert.equal(s.sql(`SELECT COUNT(*) FROM goal_followups WHERE plan_id = ${p.json.plan.id}`), '0');

	const ok = await form('handlaggare', `/bestallningar/${state.order}/uppfoljning`, { goal_id: String(g2.id), status: 'partly', comment: 'Duschar med stöd.' });
	assert.equal(ok.status, 303, ok.text);
	assert.equal(ok.headers.get('location'), `/bestallningar/${state.order}#uppfoljning`);
	const again = await s.as('handlaggare', 'GET', `/bestallningar/${state.order}`);
	assert.match(again.text, /<td>Kunna duscha själv<\/td><td>Delvis uppfyllt<\/td><td>Duschar med stöd\.<\/td>/);
	const api = await s.as('handlaggare', 'GET', `/api/v1/orders/${state.order}/plan`);
	assert.deepEqual(api.json.followups.map((x) => [x.goal_id, x.status, x.date]), [[g2.id, 'partly', today()]]);
	const audit = await s.auditOf(state.person.id);
	assert.ok(audit.some((a) => a.username === 'handlaggare' && a.entity === 'goal_followup' && a.action === 'create'));
	assert.ok(audit.some((a) => a.username === 'handlaggare' && a.entity === 'order' && a.action === 'read'));
});

test('overall responsibility and ending from the order view', async () => {
	assert.equal(s.sql(`SELECT main_responsible FROM orders WHERE id = ${state.order}`), '0');
	const m = await form('handlaggare', `/bestallningar/${state.order}/huvudansvar`, {});
	assert.equal(m.status, 303, m.text);
	assert.equal(s.sql(`SELECT main_responsible FROM orders WHERE id = ${state.order}`), '1');
	const view = await s.as('handlaggare', 'GET', `/bestallningar/${state.order}`);
	assert.match(view.text, /Ja, utföraren har huvudansvaret för kunden/);
	assert.doesNotMatch(view.text, /Ge utföraren huvudansvaret/);

	const empty = await form('handlaggare', `/bestallningar/${state.order}/avsluta`, { end_date: '' });
	assert.equal(empty.status, 400, empty.text);
	assert.match(empty.text, /id="f-end_date-fel"/);
	const early = await form('handlaggare', `/bestallningar/${state.order}/avsluta`, { end_date: addDays(state.decision.start_date, -3) });
	assert.equal(early.status, 422, early.text);
	assert.match(early.text, /inom sin period/);
	assert.match(early.text, /href="#f-end_date"/);
	assert.equal(s.sql(`SELECT state FROM orders WHERE id = ${state.order}`), 'accepted');
});

test('change of provider from the form: field errors, then one order ends and the next is sent', async () => {
	const page = await s.as('handlaggare', 'GET', `/bestallningar/${state.order}/byte`);
	assert.equal(page.status, 200, page.text);
	assert.match(page.text, /Byte Omsorg AB/);
	assert.doesNotMatch(page.text, new RegExp(`id="f-p-${state.a}"`), 'not the current provider');
	const none = await form('handlaggare', `/bestallningar/${state.order}/byte`, { end_date: 'i morgon' });
	assert.equal(none.status, 400, none.text);
	assert.match(none.text, /id="f-provider_id-fel"/);
	assert.match(none.text, /id="f-end_date-fel"/);
	const outside = await form('handlaggare', `/bestallningar/${state.order}/byte`, {
		provider_id: String(state.b), end_date: addDays(state.decision.start_date, -1),
	});
	assert.equal(outside.status, 422, outside.text);
	assert.match(outside.text, /den förra beställningens period/);
	assert.equal(s.sql(`SELECT COUNT(*) FROM orders WHERE decision_id = ${state.decision.id}`), '1');

	const end = addDays(state.decision.start_date, 20);
	const from = addDays(end, 3);
	const ok = await form('handlaggare', `/bestallningar/${state.order}/byte`, {
		provider_id: String(state.b), end_date: end, from, message: 'Kunden vill byta.',
	});
	assert.equal(ok.status, 303, ok.text);
	const next = Number(ok.headers.get('location').split('/').pop());
	assert.ok(next > state.order);
	assert.equal(s.sql(`SELECT state || ' ' || to_date FROM orders WHERE id = ${state.order}`), `ended ${end}`);
	const o = await s.as('handlaggare', 'GET', `/api/v1/orders/${next}`);
	assert.equal(o.json.state, 'sent');
	assert.equal(o.json.provider_id, state.b);
	assert.equal(o.json.from, from);
	assert.equal(o.json.previous_id, state.order);
	assert.equal(o.json.message, 'Kunden vill byta.');
	const view = await s.as('handlaggare', 'GET', `/bestallningar/${next}`);
	assert.match(view.text, /Återkalla beställningen/);
	assert.match(view.text, new RegExp(`href="/bestallningar/${state.order}"`));
	// The ended order has no forms left.
	const old = await s.as('handlaggare', 'GET', `/bestallningar/${state.order}`);
	assert.doesNotMatch(old.text, /Ändra beställningen/);
	assert.match((await s.as('handlaggare', 'GET', `/bestallningar/${state.order}/byte`)).text, /kan inte bytas/);

	const w = await form('handlaggare', `/bestallningar/${next}/avsluta`, { end_date: from, reason: 'Kunden ångrade sig.' });
	assert.equal(w.status, 303, w.text);
	assert.equal(s.sql(`SELECT state FROM orders WHERE id = ${next}`), 'withdrawn');
	const ev = s.sql(`SELECT kind FROM order_events WHERE order_id = ${next} ORDER BY id`);
	assert.deepEqual(ev.split('\n'), ['order.new', 'order.ended']);
});

test('the pages are the caseworker\'s: others get 403 or 404', async () => {
	assert.equal((await s.as('personal', 'GET', `/bestallningar/${state.order}`)).status, 403);
	assert.equal((await s.as('medborgare', 'GET', `/bestallningar/${state.order}`)).status, 403);
	assert.equal((await s.as('handlaggare', 'GET', '/bestallningar/999999')).status, 404);
	assert.equal((await form('handlaggare', '/bestallningar/999999/huvudansvar', {})).status, 404);
	assert.equal((await form('handlaggare', '/bestallningar/999999/uppfoljning', { status: 'met', goal_id: '1' })).status, 404);
	assert.equal((await form('personal', `/bestallningar/${state.order}/avsluta`, { end_date: today() })).status, 403);
});

shutdownTest(test, () => s);
