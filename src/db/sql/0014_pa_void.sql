-- Personal assistance: a shift is removed by a void correction, a row that names the shift it
-- cancels (corrects_id) with a reason and voids = 1. It keeps the original's times so that
-- the row says what was removed, counts no minutes, is never a shift of its own (overlap
-- probes and sheets skip it) and, when the month was signed or locked, is booked in the next
-- open month as an adjustment that takes the original's minutes away. A column added with a
-- constant default is the one change both engines make in place.
ALTER TABLE pa_hours ADD COLUMN voids BIGINT NOT NULL DEFAULT 0;
