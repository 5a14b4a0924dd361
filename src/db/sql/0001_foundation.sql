-- Foundation: tenants, units, providers (the register grows in a later migration), users,
-- sessions, persons with relatives and legal representatives, and the hash-chained audit log.
-- Every table carries tenant_id and every lookup index starts with it (ARCHITECTURE.md).

CREATE TABLE tenants (
  id @ID@,
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE units (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  parent_id BIGINT REFERENCES units(id),
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, name)
);

CREATE TABLE providers (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, name)
);

CREATE TABLE persons (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  pnr @CTEXT@ NOT NULL,
  pnr_kind TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  name_key @CTEXT@ NOT NULL,
  given_key @CTEXT@ NOT NULL,
  street TEXT,
  postal_code TEXT,
  city TEXT,
  phone TEXT,
  protected_identity BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, pnr)
);
CREATE INDEX persons_name ON persons (tenant_id, name_key);
CREATE INDEX persons_given ON persons (tenant_id, given_key);

CREATE TABLE users (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  username @CTEXT@ NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  unit_id BIGINT REFERENCES units(id),
  provider_id BIGINT REFERENCES providers(id),
  person_id BIGINT REFERENCES persons(id),
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, username)
);

CREATE TABLE sessions (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash @CTEXT@ NOT NULL UNIQUE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);

CREATE TABLE relatives (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  name TEXT NOT NULL,
  relation TEXT NOT NULL,
  phone TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX relatives_person ON relatives (tenant_id, person_id);

CREATE TABLE representatives (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  rep_person_id BIGINT REFERENCES persons(id),
  rep_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX representatives_person ON representatives (tenant_id, person_id);
CREATE INDEX representatives_rep ON representatives (tenant_id, rep_person_id);

CREATE TABLE audit_log (
  id @ID@,
  tenant_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT,
  person_id BIGINT,
  request_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_person ON audit_log (tenant_id, person_id, id);
