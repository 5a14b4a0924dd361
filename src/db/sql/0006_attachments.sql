-- Attachments (bilagor) to cases: files the citizen, a representative or staff add to a case,
-- stored in the database beside the case so that backups and the audit cover them
-- (src/files). source is 'citizen' (the person or a representative) or 'staff'.

CREATE TABLE attachments (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  case_id BIGINT NOT NULL REFERENCES cases(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data @BLOB@ NOT NULL,
  uploaded_by BIGINT NOT NULL,
  uploaded_by_name TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('citizen', 'staff')),
  created_at BIGINT NOT NULL
);
CREATE INDEX attachments_case ON attachments (tenant_id, case_id, id);
