-- Reports of the authority process (shared/domain/legal-duties.md section 1): the short
-- statement of reasons why a granted decision has not been executed (skäl till dröjsmålet),
-- which the quarterly report of unexecuted decisions gives for each decision. NULL until a
-- caseworker records it.

ALTER TABLE decisions ADD COLUMN delay_reason TEXT;
