-- The manager's list of cases referred upwards (GET /chef/hanskjutna, GET /api/v1/cases
-- ?referred=true): the cases whose decision waits for a higher level of the delegation order,
-- by due date.

CREATE INDEX cases_referred ON cases (tenant_id, refer_level, due_date);
