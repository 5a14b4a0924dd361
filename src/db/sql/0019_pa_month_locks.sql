-- The employer's approval of a personal-assistance month (src/visits/assistance.c; docs/
-- architecture.md, Personal assistance): a lock of its own, apart from the home-care month lock
-- (period_locks). The two are different acts: a provider admin locks home-care visits once the
-- month has ended and has no open check-in; the personal-assistance month is approved only when
-- every time sheet is signed by all parties (review 2026-11, finding 2: one shared lock let the
-- home-care lock lock unsigned sheets). Until now both wrote period_locks; a lock is carried over
-- here where the month has a signed or signing sheet of the provider (an approval always had:
-- it required every sheet signed), never where no sheet was signed at all.
CREATE TABLE pa_month_locks (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  month TEXT NOT NULL,
  approved_by BIGINT NOT NULL REFERENCES users(id),
  approved_at BIGINT NOT NULL,
  UNIQUE (tenant_id, provider_id, month)
);
INSERT INTO pa_month_locks (tenant_id, provider_id, month, approved_by, approved_at)
SELECT l.tenant_id, l.provider_id, l.month, l.approved_by, l.approved_at FROM period_locks l
WHERE EXISTS (SELECT 1 FROM pa_sheets s WHERE s.tenant_id = l.tenant_id
  AND s.provider_id = l.provider_id AND s.month = l.month);
