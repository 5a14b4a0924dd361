-- Time reporting (issue 5, src/visits): performed visits for home care, ledsagning and
-- avlösning with their deviations and corrections, the idempotency ledger of reports, bulk
-- uploads, personal-assistance hours, assistants, monthly time sheets and their signatures,
-- and the months a provider has approved and locked.
--
-- order_id holds the id of the provider order the report falls under (src/providers,
-- migrations 0008/0009). It has no foreign key yet: the orders table's name was not fixed
-- when this migration was written; a later migration adds the constraint.
--
-- Rows are never rewritten once done: a correction is a new row with corrects_id, and the
-- original gets superseded_by and state 'superseded' (the law wants the original kept).
-- Months are 'YYYY-MM' in Europe/Stockholm; booked_month is where a row counts for billing:
-- its own month, or the first open month after it when its month was locked (an adjustment
-- in the next billing run).

CREATE TABLE visit_bulk_uploads (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  month TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'json')),
  row_count BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX visit_bulk_uploads_month ON visit_bulk_uploads (tenant_id, provider_id, month);

CREATE TABLE visits (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  service_id BIGINT NOT NULL REFERENCES services(id),
  order_id BIGINT NOT NULL,
  staff_ref TEXT NOT NULL,
  staff_user_id BIGINT REFERENCES users(id),
  start_at BIGINT NOT NULL,
  end_at BIGINT,
  day TEXT NOT NULL,
  month TEXT NOT NULL,
  booked_month TEXT NOT NULL,
  deviation TEXT NOT NULL DEFAULT '',
  deviation_note TEXT NOT NULL DEFAULT '',
  planned_minutes BIGINT NOT NULL DEFAULT 0,
  performed_minutes BIGINT NOT NULL DEFAULT 0,
  spent_minutes BIGINT NOT NULL DEFAULT 0,
  billable_minutes BIGINT NOT NULL DEFAULT 0,
  payable_minutes BIGINT NOT NULL DEFAULT 0,
  source TEXT NOT NULL CHECK (source IN ('phone', 'api', 'manual', 'bulk', 'correction')),
  reason TEXT NOT NULL DEFAULT '',
  external_id TEXT,
  corrects_id BIGINT REFERENCES visits(id),
  superseded_by BIGINT REFERENCES visits(id),
  bulk_id BIGINT REFERENCES visit_bulk_uploads(id),
  state TEXT NOT NULL CHECK (state IN ('open', 'done', 'superseded')),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (end_at IS NULL OR end_at > start_at)
);
CREATE INDEX visits_month ON visits (tenant_id, provider_id, month, person_id);
CREATE INDEX visits_booked ON visits (tenant_id, provider_id, booked_month);
CREATE INDEX visits_staff ON visits (tenant_id, provider_id, staff_ref, start_at);
CREATE INDEX visits_person ON visits (tenant_id, person_id, service_id, start_at);
CREATE INDEX visits_external ON visits (tenant_id, provider_id, external_id);

-- Every report that carried an Idempotency-Key (check-in, check-out, API, manual entry,
-- correction, bulk upload): the same key again gets the stored answer and changes nothing; the
-- same key with another request (request_sha256 over method, route and body) is a conflict.
CREATE TABLE visit_reports (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  idempotency_key TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  visit_id BIGINT REFERENCES visits(id),
  status BIGINT NOT NULL,
  response TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, provider_id, idempotency_key)
);

-- Personal assistants of a provider, with what Försäkringskassan wants to know before
-- assistance starts (shared/domain/assistansersattning.md section 5): birth date (under 18 is
-- not payable), relative or same household, living inside the EEA.
CREATE TABLE pa_assistants (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  ref TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  relative BIGINT NOT NULL DEFAULT 0,
  same_household BIGINT NOT NULL DEFAULT 0,
  lives_in_eea BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, provider_id, ref)
);

-- Hours per assistant for an assisted person: shifts with clock times (FK reads date, start
-- and end), kind 'active' (assistance, jour included) or 'oncall' (beredskap).
CREATE TABLE pa_hours (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  order_id BIGINT NOT NULL,
  assistant_id BIGINT NOT NULL REFERENCES pa_assistants(id),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('active', 'oncall')),
  day TEXT NOT NULL,
  month TEXT NOT NULL,
  booked_month TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('phone', 'api', 'manual', 'bulk', 'correction')),
  reason TEXT NOT NULL DEFAULT '',
  corrects_id BIGINT REFERENCES pa_hours(id),
  superseded_by BIGINT REFERENCES pa_hours(id),
  state TEXT NOT NULL CHECK (state IN ('done', 'superseded')),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  CHECK (end_at > start_at)
);
CREATE INDEX pa_hours_month ON pa_hours (tenant_id, provider_id, person_id, month);
CREATE INDEX pa_hours_assistant ON pa_hours (tenant_id, assistant_id, start_at);

-- The monthly time sheet (tidsredovisning) of one assisted person at one provider, with the
-- totals of visits_pa_sheet_build and the SHA-256 of its canonical content, which every
-- signature names: a sheet changed after a signature no longer matches it.
CREATE TABLE pa_sheets (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  order_id BIGINT NOT NULL,
  month TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'signing', 'signed')),
  active_minutes BIGINT NOT NULL DEFAULT 0,
  oncall_minutes BIGINT NOT NULL DEFAULT 0,
  double_minutes BIGINT NOT NULL DEFAULT 0,
  unpaid_minutes BIGINT NOT NULL DEFAULT 0,
  payable_minutes BIGINT NOT NULL DEFAULT 0,
  granted_minutes BIGINT NOT NULL DEFAULT 0,
  content_sha256 TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, provider_id, person_id, month)
);

-- Signatures on a sheet: the assisted person or their representative, and each assistant
-- (on heder och samvete), each over the content hash it saw.
CREATE TABLE pa_signatures (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  sheet_id BIGINT NOT NULL REFERENCES pa_sheets(id),
  role TEXT NOT NULL CHECK (role IN ('assisted', 'representative', 'assistant')),
  assistant_id BIGINT REFERENCES pa_assistants(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  content_sha256 TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('password', 'bankid')),
  signed_at BIGINT NOT NULL,
  UNIQUE (sheet_id, role, user_id)
);
CREATE INDEX pa_signatures_sheet ON pa_signatures (tenant_id, sheet_id);

-- A month a provider's reports were approved for: changes after that are corrections with a
-- reason, booked in the next open month.
CREATE TABLE period_locks (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  month TEXT NOT NULL,
  approved_by BIGINT NOT NULL REFERENCES users(id),
  approved_at BIGINT NOT NULL,
  UNIQUE (tenant_id, provider_id, month)
);
