-- Investigations (issue: utredning): templates per tenant so that every investigation has the
-- same structure, an ordered list of sections (heading, guidance, required); one investigation
-- per case with its plan and the text of each section.

CREATE TABLE investigation_templates (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  code @CTEXT@ NOT NULL,
  name TEXT NOT NULL,
  law TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, code)
);

CREATE TABLE template_sections (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  template_id BIGINT NOT NULL REFERENCES investigation_templates(id),
  position BIGINT NOT NULL,
  heading TEXT NOT NULL,
  guidance TEXT NOT NULL,
  required BIGINT NOT NULL DEFAULT 0,
  UNIQUE (template_id, position)
);

CREATE TABLE investigations (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  case_id BIGINT NOT NULL REFERENCES cases(id),
  template_id BIGINT NOT NULL REFERENCES investigation_templates(id),
  plan TEXT NOT NULL,
  planned_visit TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, case_id)
);

CREATE TABLE investigation_sections (
  id @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  investigation_id BIGINT NOT NULL REFERENCES investigations(id),
  section_id BIGINT NOT NULL REFERENCES template_sections(id),
  body TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (investigation_id, section_id)
);
