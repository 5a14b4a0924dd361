-- The caseworker's work queue reads open cases by due date: a partial index over open cases
-- only lets both engines stop after the first page instead of sorting every open case.
CREATE INDEX cases_open_queue ON cases (tenant_id, caseworker_id, due_date, id)
  WHERE state <> 'closed' AND state <> 'withdrawn';
