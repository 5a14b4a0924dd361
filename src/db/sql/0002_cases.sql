-- The authority process (issue 3): the service catalogue (insatser), the delegation order,
-- cases with their requests, timeline, IBIC assessments and journal, and decisions.

CREATE TABLE services (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  code @CTEXT@ NOT NULL,
  name TEXT NOT NULL,
  law TEXT NOT NULL,
  paragraph TEXT NOT NULL,
  measure TEXT NOT NULL,
  stats_code TEXT NOT NULL,
  fee_applies BIGINT NOT NULL DEFAULT 0,
  customer_choice BIGINT NOT NULL DEFAULT 0,
  followup_months BIGINT NOT NULL DEFAULT 6,
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, code)
);

CREATE TABLE delegation_rules (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  point TEXT NOT NULL,
  service_code @CTEXT@ NOT NULL,
  level BIGINT NOT NULL,
  may_grant BIGINT NOT NULL,
  may_refuse BIGINT NOT NULL,
  max_hours BIGINT NOT NULL DEFAULT -1,
  max_months BIGINT NOT NULL DEFAULT -1,
  created_at BIGINT NOT NULL
);
CREATE INDEX delegation_rules_tenant ON delegation_rules (tenant_id, service_code);

CREATE TABLE cases (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  case_number @CTEXT@ NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  law TEXT NOT NULL,
  unit_id BIGINT REFERENCES units(id),
  caseworker_id BIGINT REFERENCES users(id),
  submitted_by BIGINT REFERENCES users(id),
  received_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  refer_level BIGINT NOT NULL DEFAULT 0,
  summary TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, case_number)
);
CREATE INDEX cases_queue ON cases (tenant_id, caseworker_id, state, due_date);
CREATE INDEX cases_person ON cases (tenant_id, person_id);
CREATE INDEX cases_unit ON cases (tenant_id, unit_id, state);

CREATE TABLE case_requests (
  id @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  service_code @CTEXT@ NOT NULL,
  hours_per_month BIGINT,
  description TEXT NOT NULL
);
CREATE INDEX case_requests_case ON case_requests (tenant_id, case_id);

CREATE TABLE case_events (
  id @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (tenant_id, case_id, id);

CREATE TABLE assessments (
  id @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  life_area TEXT NOT NULL,
  source TEXT NOT NULL,
  functioning TEXT NOT NULL,
  own_view TEXT NOT NULL,
  goal TEXT NOT NULL,
  user_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX assessments_case ON assessments (tenant_id, case_id, id);

CREATE TABLE journal_notes (
  id @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  author_id BIGINT NOT NULL,
  author_name TEXT NOT NULL,
  body TEXT NOT NULL,
  corrects_id BIGINT REFERENCES journal_notes(id),
  signed_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX journal_notes_case ON journal_notes (tenant_id, case_id, id);

CREATE TABLE decisions (
  id @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  service_code @CTEXT@ NOT NULL,
  outcome TEXT NOT NULL,
  hours_per_month BIGINT,
  hours_day BIGINT,
  hours_evening BIGINT,
  hours_night BIGINT,
  hours_weekend BIGINT,
  start_date TEXT,
  end_date TEXT,
  goals TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  reasoning TEXT NOT NULL,
  decided_by BIGINT NOT NULL REFERENCES users(id),
  decided_by_name TEXT NOT NULL,
  decided_level BIGINT NOT NULL,
  delegation_point TEXT NOT NULL,
  decision_date TEXT NOT NULL,
  followup_date TEXT,
  executed_date TEXT,
  replaces_id BIGINT REFERENCES decisions(id),
  replaced_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX decisions_case ON decisions (tenant_id, case_id, id);
CREATE INDEX decisions_person ON decisions (tenant_id, person_id);
CREATE INDEX decisions_followup ON decisions (tenant_id, followup_date);
CREATE INDEX decisions_date ON decisions (tenant_id, decision_date);
