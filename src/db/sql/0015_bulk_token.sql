-- A provider's planning system uploads a month of visits with its API token (issue 5 item 7):
-- the upload records the token beside the user who made it, who answers for it.
ALTER TABLE visit_bulk_uploads ADD COLUMN uploaded_by_token BIGINT REFERENCES api_tokens(id);
