-- Interruptions of the execution of granted decisions (avbrott i verkställigheten;
-- shared/domain/legal-duties.md section 1, trigger B: SoL 34 kap. 1 §, LSS 28 f §). An executed
-- grant whose execution stops (the person is in hospital, the provider stopped, the person
-- paused the service) gets a row from from_date with a short statement of why (reason); it
-- ends when the execution is resumed (resumed_date) or when the decision is closed while
-- interrupted (decisions.closed_date, schema 0017). Not resumed within three months from
-- from_date, it is reported to IVO and the auditors every quarter until it ends, and once more
-- in the quarter it ends; delay_reason is the statement of why it is not resumed yet. One open
-- interruption per decision at a time (the partial unique index guards it under concurrent
-- writes). case_id and person_id are the decision's, kept here for the case view and access.
CREATE TABLE decision_interruptions (
  id @ID@,
  tenant_id BIGINT NOT NULL,
  decision_id BIGINT NOT NULL REFERENCES decisions(id),
  case_id BIGINT NOT NULL REFERENCES cases(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  from_date TEXT NOT NULL,
  reason TEXT NOT NULL,
  resumed_date TEXT,
  delay_reason TEXT,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);
-- The quarter report reads the candidates by their first day (src/cases/store.c, reports).
CREATE INDEX decision_interruptions_from ON decision_interruptions (tenant_id, from_date);
-- The case view and the decision JSON list a case's or a decision's interruptions.
CREATE INDEX decision_interruptions_case ON decision_interruptions (tenant_id, case_id, id);
CREATE INDEX decision_interruptions_decision
  ON decision_interruptions (tenant_id, decision_id, from_date);
CREATE UNIQUE INDEX decision_interruptions_open ON decision_interruptions (tenant_id, decision_id)
  WHERE resumed_date IS NULL;
