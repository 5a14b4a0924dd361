-- Customer choice and providers (issue 4): the provider register under LOV (organisation
-- number, approval period, contact, account string of municipal units, webhook), the services
-- and areas a provider is approved for, vacancies (ledigmarkering of capacity per service, area
-- and time of day), the customer's choice, orders (beställning) with the investigation parts
-- the caseworker marked and the decision's goals, implementation plans (genomförandeplan) with
-- goal follow-up, the outbox of order events with its webhook attempts, and API tokens of
-- providers' systems (only their hash).

ALTER TABLE providers ADD COLUMN org_nr TEXT;
ALTER TABLE providers ADD COLUMN kind TEXT NOT NULL DEFAULT 'private';
ALTER TABLE providers ADD COLUMN approved_from TEXT;
ALTER TABLE providers ADD COLUMN approved_to TEXT;
ALTER TABLE providers ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN account TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN webhook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE provider_services (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  service_id BIGINT NOT NULL REFERENCES services(id),
  service_code TEXT NOT NULL,
  UNIQUE (tenant_id, provider_id, service_id)
);

CREATE TABLE provider_areas (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  area TEXT NOT NULL,
  UNIQUE (tenant_id, provider_id, area)
);

CREATE TABLE vacancies (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  service_id BIGINT NOT NULL REFERENCES services(id),
  service_code TEXT NOT NULL,
  area TEXT NOT NULL,
  time_of_day TEXT NOT NULL,
  places BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, provider_id, service_id, area, time_of_day)
);
CREATE INDEX vacancies_service ON vacancies (tenant_id, service_id, area);

CREATE TABLE provider_choices (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  decision_id BIGINT NOT NULL REFERENCES decisions(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  chosen_by BIGINT REFERENCES users(id),
  chosen_by_role TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX provider_choices_decision ON provider_choices (tenant_id, decision_id, id);

CREATE TABLE orders (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  decision_id BIGINT NOT NULL REFERENCES decisions(id),
  case_id BIGINT NOT NULL REFERENCES cases(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  service_id BIGINT NOT NULL REFERENCES services(id),
  service_code TEXT NOT NULL,
  service_name TEXT NOT NULL,
  state TEXT NOT NULL,
  from_date TEXT NOT NULL,
  to_date TEXT,
  granted_minutes_month BIGINT NOT NULL DEFAULT 0,
  scope_text TEXT NOT NULL,
  goals TEXT NOT NULL,
  message TEXT NOT NULL,
  main_responsible BIGINT NOT NULL DEFAULT 0,
  sent_date TEXT NOT NULL,
  answer_due TEXT NOT NULL,
  answered_at BIGINT,
  answered_by_name TEXT,
  decline_reason TEXT,
  accepted_at BIGINT,
  ended_reason TEXT,
  previous_id BIGINT REFERENCES orders(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX orders_provider ON orders (tenant_id, provider_id, state, id);
CREATE INDEX orders_person ON orders (tenant_id, person_id, provider_id);
CREATE INDEX orders_decision ON orders (tenant_id, decision_id);
CREATE INDEX orders_case ON orders (tenant_id, case_id);

CREATE TABLE order_sections (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  order_id BIGINT NOT NULL REFERENCES orders(id),
  position BIGINT NOT NULL,
  heading TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX order_sections_order ON order_sections (tenant_id, order_id, position);

CREATE TABLE order_goals (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  order_id BIGINT NOT NULL REFERENCES orders(id),
  position BIGINT NOT NULL,
  goal TEXT NOT NULL
);
CREATE INDEX order_goals_order ON order_goals (tenant_id, order_id, position);

CREATE TABLE plans (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  order_id BIGINT NOT NULL REFERENCES orders(id),
  participation TEXT NOT NULL,
  written_by_name TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, order_id)
);

CREATE TABLE plan_items (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  plan_id BIGINT NOT NULL REFERENCES plans(id),
  goal_id BIGINT NOT NULL REFERENCES order_goals(id),
  position BIGINT NOT NULL,
  what TEXT NOT NULL,
  when_text TEXT NOT NULL,
  how TEXT NOT NULL
);
CREATE INDEX plan_items_plan ON plan_items (tenant_id, plan_id, position);

CREATE TABLE goal_followups (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  plan_id BIGINT NOT NULL REFERENCES plans(id),
  goal_id BIGINT NOT NULL REFERENCES order_goals(id),
  followup_date TEXT NOT NULL,
  status TEXT NOT NULL,
  comment TEXT NOT NULL,
  by_name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX goal_followups_plan ON goal_followups (tenant_id, plan_id, id);

CREATE TABLE order_events (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  order_id BIGINT NOT NULL REFERENCES orders(id),
  person_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  delivered_at BIGINT
);
CREATE INDEX order_events_feed ON order_events (tenant_id, provider_id, id);
-- The delivery thread looks for undelivered events of every tenant, so this one index starts
-- with delivered_at rather than tenant_id.
CREATE INDEX order_events_pending ON order_events (delivered_at, next_attempt_at);

CREATE TABLE webhook_attempts (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  event_id BIGINT NOT NULL REFERENCES order_events(id),
  at BIGINT NOT NULL,
  http_status BIGINT NOT NULL,
  error TEXT NOT NULL
);
CREATE INDEX webhook_attempts_event ON webhook_attempts (tenant_id, event_id);

CREATE TABLE api_tokens (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  name TEXT NOT NULL,
  token_hash @CTEXT@ NOT NULL UNIQUE,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_provider ON api_tokens (tenant_id, provider_id);
