-- Granted decisions that end without being executed (shared/domain/legal-duties.md section 1:
-- the close reason of every granted insats). A decision replaced by a reassessment, declined
-- or withdrawn by the person, whose person died or moved away, or whose period ran out stops
-- waiting for execution on closed_date; the quarterly report of unexecuted decisions lists it
-- once more in the quarter of that date (the notice to IVO) and never after. closed_note is
-- the short statement for IVO (kort redogörelse). NULL while the decision is open or executed.
ALTER TABLE decisions ADD COLUMN closed_date TEXT;
ALTER TABLE decisions ADD COLUMN closed_reason TEXT CHECK (closed_reason IN ('replaced',
  'declined', 'withdrawn', 'deceased', 'moved', 'period_ended', 'other'));
ALTER TABLE decisions ADD COLUMN closed_note TEXT;

-- Decisions replaced before this migration while not executed: closed on the day the new
-- decision was taken, as a reassessment closes them from now on (src/cases/cases.c).
UPDATE decisions SET closed_reason = 'replaced',
  closed_date = (SELECT n.decision_date FROM decisions n
                 WHERE n.tenant_id = decisions.tenant_id AND n.id = decisions.replaced_by)
  WHERE replaced_by IS NOT NULL AND executed_date IS NULL AND outcome <> 'refused';
