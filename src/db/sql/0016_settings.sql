-- Per-tenant settings of the municipality (src/settings), one row per key, the value as text
-- read by the module that owns the key. An absent key means the owner's default. The first
-- keys are the compensation rule for bomtid (issue 5, src/visits): visits.bomtid_paid
-- ('true'/'false') and visits.bomtid_max_minutes (0-240). Readers look a tenant's keys up
-- through the unique index, whose first column is tenant_id.
CREATE TABLE settings (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_by BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, key)
);
