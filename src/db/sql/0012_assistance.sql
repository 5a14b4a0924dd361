-- Personal assistance (issue 5 item 4, src/visits/assistance.c): what the decision grants
-- beyond the hours, and signatures by the method that made them.
--
-- pa_grants: per provider order for personlig_assistans, whether the decision grants double
-- assistance (two assistants at once) and how a beredskap minute counts, as the decision states
-- it (oncall_num / oncall_den assistance minutes). An order without a row grants no double
-- assistance and counts beredskap one to one.
CREATE TABLE pa_grants (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  order_id BIGINT NOT NULL,
  double_granted BIGINT NOT NULL DEFAULT 0,
  oncall_num BIGINT NOT NULL DEFAULT 1,
  oncall_den BIGINT NOT NULL DEFAULT 1,
  set_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (oncall_den > 0 AND oncall_num >= 0),
  UNIQUE (tenant_id, order_id)
);

-- pa_signatures of 0011 named the methods 'password' and 'bankid'; a signature made in a
-- logged-in session is method 'session' (the adapter of src/visits/assistance.c), and a
-- BankID adapter writes 'bankid'. No code wrote the table before this migration, so it is made
-- again rather than copied. An assistant signs once per sheet (assistant_id); the assisted
-- person or a representative once per user.
DROP TABLE pa_signatures;
CREATE TABLE pa_signatures (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  sheet_id BIGINT NOT NULL REFERENCES pa_sheets(id),
  role TEXT NOT NULL CHECK (role IN ('assisted', 'representative', 'assistant')),
  assistant_id BIGINT REFERENCES pa_assistants(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  signer_name TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('session', 'bankid')),
  signed_at BIGINT NOT NULL,
  UNIQUE (sheet_id, role, user_id)
);
CREATE INDEX pa_signatures_sheet ON pa_signatures (tenant_id, sheet_id);
CREATE INDEX pa_assistants_user ON pa_assistants (tenant_id, user_id);
CREATE INDEX pa_sheets_provider ON pa_sheets (tenant_id, provider_id, month);
