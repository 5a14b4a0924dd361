-- Secure messages (src/messages): threads per case between the municipality (its staff), the
-- citizen (the person and representatives with a mandate) and providers. Messages are part of
-- the record and never change or go away; read status is kept per user and thread.
-- municipality and citizen are 0/1: whether that party takes part in the thread.

CREATE TABLE message_threads (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  case_id BIGINT NOT NULL REFERENCES cases(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  subject TEXT NOT NULL,
  municipality BIGINT NOT NULL CHECK (municipality IN (0, 1)),
  citizen BIGINT NOT NULL CHECK (citizen IN (0, 1)),
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_message_id BIGINT NOT NULL DEFAULT 0,
  last_at BIGINT NOT NULL
);
CREATE INDEX message_threads_case ON message_threads (tenant_id, case_id, id);
CREATE INDEX message_threads_person ON message_threads (tenant_id, person_id, last_at);

-- The providers taking part in a thread.
CREATE TABLE message_thread_providers (
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  thread_id BIGINT NOT NULL REFERENCES message_threads(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  PRIMARY KEY (tenant_id, thread_id, provider_id)
);
CREATE INDEX message_thread_providers_provider
  ON message_thread_providers (tenant_id, provider_id, thread_id);

-- party is the side the author wrote for; provider_id is set for party 'provider'.
CREATE TABLE messages (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  thread_id BIGINT NOT NULL REFERENCES message_threads(id),
  author_id BIGINT NOT NULL REFERENCES users(id),
  author_name TEXT NOT NULL,
  party TEXT NOT NULL CHECK (party IN ('municipality', 'citizen', 'provider')),
  provider_id BIGINT REFERENCES providers(id),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_thread ON messages (tenant_id, thread_id, id);

-- How far each user has read a thread, and as which party.
CREATE TABLE message_reads (
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  thread_id BIGINT NOT NULL REFERENCES message_threads(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  party TEXT NOT NULL CHECK (party IN ('municipality', 'citizen', 'provider')),
  provider_id BIGINT REFERENCES providers(id),
  last_read_id BIGINT NOT NULL,
  read_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, thread_id, user_id)
);
CREATE INDEX message_reads_user ON message_reads (tenant_id, user_id, thread_id);
