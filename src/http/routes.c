/*
 * The route table: every route of Hanna in one place, with the permission it needs and its
 * flags (STYLE.md rule 14). The router authenticates and authorises from this table before any
 * handler runs; docs/openapi.yaml documents every API route here (a test checks it).
 */
#include "audit/audit_api.h"
#include "cases/cases_api.h"
#include "cases/cases_pages.h"
#include "cases/report.h"
#include "auth/auth_api.h"
#include "files/files_api.h"
#include "messages/messages_api.h"
#include "http.h"
#include "http_private.h"
#include "people/people_api.h"
#include "providers/providers_api.h"
#include "providers/providers_pages.h"
#include "visits/visits_api.h"
#include "visits/visits_pages.h"
#include "web/web.h"

const struct route http_routes[] = {
	/* Health, outside the API base path, no login. */
	{"GET", "/healthz", http_healthz, PERM_PUBLIC, R_INLINE, "process is up"},
	{"GET", "/readyz", http_readyz, PERM_PUBLIC, 0, "database is reachable"},

	/* Sessions. */
	{"POST", "/api/v1/sessions", auth_api_login, PERM_PUBLIC, 0, "log in"},
	{"DELETE", "/api/v1/sessions/current", auth_api_logout, PERM_LOGIN, 0, "log out"},
	{"GET", "/api/v1/me", auth_api_me, PERM_LOGIN, 0, "who am I"},

	/* People. */
	{"POST", "/api/v1/persons", people_api_create, PERM_PERSON_WRITE, R_AUDIT,
	 "create a person"},
	{"GET", "/api/v1/persons", people_api_search, PERM_PERSON_SEARCH, 0,
	 "search persons by name or number"},
	{"GET", "/api/v1/persons/{id}", people_api_get, PERM_PERSON_READ, R_AUDIT,
	 "read a person with relatives and representatives"},
	{"PATCH", "/api/v1/persons/{id}", people_api_patch, PERM_PERSON_WRITE, R_AUDIT,
	 "change a person"},
	{"POST", "/api/v1/persons/{id}/relatives", people_api_relative_add, PERM_PERSON_WRITE,
	 R_AUDIT, "add a relative"},
	{"POST", "/api/v1/persons/{id}/representatives", people_api_rep_add, PERM_PERSON_WRITE,
	 R_AUDIT, "add a legal representative"},

	/* Audit. */
	{"GET", "/api/v1/audit", audit_api_list, PERM_AUDIT_READ, 0,
	 "audit records about a person"},

	/* The authority process (issue 3). */
	{"GET", "/api/v1/services", cases_api_services, PERM_LOGIN, 0, "the service catalogue"},
	{"GET", "/api/v1/delegation", cases_api_delegation, PERM_CASE_WRITE, 0,
	 "the delegation order"},
	{"POST", "/api/v1/cases", cases_api_create, PERM_CASE_APPLY, R_AUDIT,
	 "register an application or report; online by the citizen or a representative"},
	{"GET", "/api/v1/cases", cases_api_list, PERM_CASE_READ, 0,
	 "work queue, a person's cases, unassigned cases, or cases referred upwards"},
	{"GET", "/api/v1/cases/{id}", cases_api_get, PERM_CASE_READ, R_AUDIT, "the case view"},
	{"POST", "/api/v1/cases/{id}/assign", cases_api_assign, PERM_CASE_WRITE, R_AUDIT,
	 "assign a caseworker and unit"},
	{"POST", "/api/v1/cases/{id}/state", cases_api_state, PERM_CASE_WRITE, R_AUDIT,
	 "move the case to another state"},
	{"POST", "/api/v1/cases/{id}/withdraw", cases_api_withdraw, PERM_CASE_READ, R_AUDIT,
	 "withdraw an application"},
	{"POST", "/api/v1/cases/{id}/notes", cases_api_note_add, PERM_CASE_WRITE, R_AUDIT,
	 "write a journal note (draft) or a correction"},
	{"PATCH", "/api/v1/notes/{id}", cases_api_note_patch, PERM_CASE_WRITE, R_AUDIT,
	 "change a draft journal note"},
	{"POST", "/api/v1/notes/{id}/sign", cases_api_note_sign, PERM_CASE_WRITE, R_AUDIT,
	 "sign a journal note"},
	{"POST", "/api/v1/cases/{id}/assessments", cases_api_assessment_add, PERM_CASE_WRITE,
	 R_AUDIT, "add an IBIC needs assessment"},
	{"GET", "/api/v1/investigation-templates", cases_api_inv_templates, PERM_CASE_WRITE, 0,
	 "the investigation templates"},
	{"POST", "/api/v1/investigation-templates", cases_api_template_add, PERM_ADMIN, 0,
	 "add an investigation template (the newest of a law is the default)"},
	{"POST", "/api/v1/cases/{id}/investigation", cases_api_inv_create, PERM_CASE_WRITE, R_AUDIT,
	 "start the investigation from a template"},
	{"GET", "/api/v1/cases/{id}/investigation", cases_api_inv_get, PERM_CASE_WRITE, R_AUDIT,
	 "the investigation: plan and sections"},
	{"PATCH", "/api/v1/cases/{id}/investigation", cases_api_inv_patch, PERM_CASE_WRITE,
	 R_AUDIT, "change the investigation plan and section texts"},
	{"POST", "/api/v1/cases/{id}/decisions", cases_api_decide, PERM_DECIDE, R_AUDIT,
	 "decide within the delegation order, or refer upwards"},
	{"GET", "/api/v1/decisions/{id}/letter", cases_api_letter, PERM_CASE_READ, R_AUDIT,
	 "the decision letter (PDF)"},
	{"POST", "/api/v1/decisions/{id}/execution", cases_api_executed, PERM_CASE_WRITE,
	 R_AUDIT, "record the date a decision was executed"},

	/* Reports of the authority process: PERM_CASE_REPORT (admin, caseworker, unit manager,
	 * and the auditor, who receives the quarterly list by law). The register of unexecuted
	 * decisions is to be restricted to staff with that task (legal-duties.md section 1): a
	 * role of its own when a municipality names that staff. */
	{"GET", "/api/v1/reports/unexecuted", cases_api_report_unexecuted, PERM_CASE_REPORT, 0,
	 "unexecuted decisions of a quarter for IVO, auditors and council (JSON, CSV, PDF);"
	 " the register should be restricted to staff with that task"},
	{"GET", "/api/v1/reports/delegated", cases_api_report_delegated, PERM_CASE_REPORT, 0,
	 "delegated decisions of a period for the board (JSON, CSV)"},
	{"GET", "/api/v1/reports/lead-times", cases_api_report_lead_times, PERM_CASE_REPORT, 0,
	 "lead times of the decisions of a period, per service"},
	{"GET", "/api/v1/followups", cases_api_followups, PERM_CASE_WRITE, 0,
	 "the caseworker's follow-ups and decisions ending soon"},
	{"POST", "/api/v1/decisions/{id}/delay-reason", cases_api_delay_reason, PERM_CASE_WRITE,
	 R_AUDIT, "record why a granted decision is not executed yet"},

	/* Attachments (bilagor) to cases. */
	{"POST", "/api/v1/cases/{id}/attachments", files_api_upload, PERM_CASE_READ, R_AUDIT,
	 "add an attachment (the raw file, its name in X-Filename) to a case"},
	{"GET", "/api/v1/cases/{id}/attachments", files_api_list, PERM_CASE_READ, R_AUDIT,
	 "list the attachments of a case"},
	{"GET", "/api/v1/attachments/{id}", files_api_download, PERM_CASE_READ, R_AUDIT,
	 "download an attachment"},

	/* Secure messages (issue 4 item 5): the parties of a thread only, everyone else 404. */
	{"POST", "/api/v1/cases/{id}/threads", messages_api_start, PERM_MESSAGE, R_AUDIT,
	 "start a message thread on a case with its first message"},
	{"GET", "/api/v1/cases/{id}/threads", messages_api_case_threads, PERM_MESSAGE, R_AUDIT,
	 "the message threads of a case the user takes part in"},
	{"GET", "/api/v1/threads", messages_api_inbox, PERM_MESSAGE, 0,
	 "the user's message threads with unread counts"},
	{"GET", "/api/v1/threads/{id}", messages_api_thread, PERM_MESSAGE, R_AUDIT,
	 "a message thread with its messages and read receipts; marks it read"},
	{"POST", "/api/v1/threads/{id}/messages", messages_api_post, PERM_MESSAGE, R_AUDIT,
	 "send a message in a thread"},
	{"POST", "/api/v1/threads/{id}/read", messages_api_read, PERM_MESSAGE, R_AUDIT,
	 "mark a thread read"},
	{"GET", "/api/v1/messages/unread", messages_api_unread, PERM_MESSAGE, 0,
	 "the number of unread messages and threads"},

	/* Customer choice and providers (issue 4). The register is read by every user (the
	 * customer-choice view); a provider's own data is changed by its provider_admin or an
	 * admin; orders are read by staff through the case and by the provider's users through
	 * providers_customer_access. */
	{"GET", "/api/v1/providers", providers_api_list, PERM_LOGIN, 0,
	 "the provider register and customer-choice view (service, area, vacant)"},
	{"POST", "/api/v1/providers", providers_api_create, PERM_PROVIDER_REGISTER, 0,
	 "register a provider (LOV)"},
	{"GET", "/api/v1/providers/{id}", providers_api_get, PERM_LOGIN, 0, "a provider's profile"},
	{"PATCH", "/api/v1/providers/{id}", providers_api_patch, PERM_PROVIDER_MANAGE, 0,
	 "change a provider; a new webhook address gets a new secret, shown once"},
	{"PUT", "/api/v1/providers/{id}/vacancies", providers_api_vacancies, PERM_PROVIDER_MANAGE,
	 0, "mark vacancies per service, area and time of day"},
	{"POST", "/api/v1/providers/{id}/tokens", providers_api_token, PERM_PROVIDER_MANAGE, 0,
	 "create an API token for the provider's system, shown once"},
	{"GET", "/api/v1/providers/{id}/events", providers_api_events, PERM_PROVIDER_WORK, R_AUDIT,
	 "the provider's order events after an id (feed)"},
	{"POST", "/api/v1/decisions/{id}/choice", providers_api_choose, PERM_CHOOSE, R_AUDIT,
	 "record the customer's choice of provider"},
	{"POST", "/api/v1/decisions/{id}/orders", providers_api_order_create, PERM_CASE_WRITE,
	 R_AUDIT, "send an order to the chosen provider"},
	{"GET", "/api/v1/cases/{id}/orders", providers_api_case_orders, PERM_CASE_WRITE, R_AUDIT,
	 "the orders of a case, unanswered ones flagged when overdue"},
	{"GET", "/api/v1/orders", providers_api_orders, PERM_ORDER_READ, R_AUDIT,
	 "the provider's inbox of orders"},
	{"GET", "/api/v1/orders/{id}", providers_api_order_get, PERM_ORDER_READ, R_AUDIT,
	 "an order with its goals and marked investigation parts"},
	{"POST", "/api/v1/orders/{id}/accept", providers_api_accept, PERM_PROVIDER_WORK, R_AUDIT,
	 "accept an order"},
	{"POST", "/api/v1/orders/{id}/decline", providers_api_decline, PERM_PROVIDER_WORK,
	 R_AUDIT, "decline an order with a reason"},
	{"POST", "/api/v1/orders/{id}/change", providers_api_change, PERM_CASE_WRITE, R_AUDIT,
	 "change provider: end this order and send a new one"},
	{"POST", "/api/v1/orders/{id}/end", providers_api_end, PERM_CASE_WRITE, R_AUDIT,
	 "end an accepted order or withdraw a sent one"},
	{"POST", "/api/v1/orders/{id}/main-responsible", providers_api_main, PERM_CASE_WRITE,
	 R_AUDIT, "mark the provider with overall responsibility for the customer"},
	{"GET", "/api/v1/orders/{id}/plan", providers_api_plan_get, PERM_ORDER_READ, R_AUDIT,
	 "the implementation plan with goals and follow-ups"},
	{"PUT", "/api/v1/orders/{id}/plan", providers_api_plan_put, PERM_PROVIDER_WORK, R_AUDIT,
	 "write the implementation plan"},
	{"POST", "/api/v1/orders/{id}/plan/followups", providers_api_followup, PERM_ORDER_READ,
	 R_AUDIT, "record whether a goal is met"},

	/* Time reporting (issue 5): visits, deviations, corrections, bulk files, period locks,
	 * granted versus performed. Provider users report under their provider's active orders;
	 * staff read through auth_person_access. */
	{"GET", "/api/v1/visits/customers", visits_api_customers, PERM_VISIT_REPORT, R_AUDIT,
	 "the provider's customers of a day (active orders), for the phone page"},
	{"POST", "/api/v1/visits/check-in", visits_api_check_in, PERM_VISIT_REPORT, R_AUDIT,
	 "check in at a customer (phone)"},
	{"POST", "/api/v1/visits/check-out", visits_api_check_out, PERM_VISIT_REPORT, R_AUDIT,
	 "check out of the visit named by its check-in's key (phone)"},
	{"POST", "/api/v1/visits/deviations", visits_api_deviation, PERM_VISIT_REPORT, R_AUDIT,
	 "report a visit not performed, with its reason code (phone)"},
	{"POST", "/api/v1/visits", visits_api_create, PERM_VISIT_REPORT, R_AUDIT,
	 "report a performed visit (provider system), or enter one afterwards with a reason"},
	{"GET", "/api/v1/visits", visits_api_list, PERM_VISIT_READ, R_AUDIT,
	 "visits of a month (the provider's, or one person's)"},
	{"GET", "/api/v1/visits/summary", visits_api_summary, PERM_VISIT_READ, R_AUDIT,
	 "granted versus performed per customer, provider, service and month"},
	{"POST", "/api/v1/visits/bulk", visits_api_bulk, PERM_VISIT_MANAGE, R_AUDIT,
	 "upload a month of visits as CSV or JSON: all rows stored or none"},
	{"GET", "/api/v1/visits/periods", visits_api_locks, PERM_VISIT_REPORT, 0,
	 "the provider's approved (locked) months"},
	{"POST", "/api/v1/visits/periods", visits_api_lock, PERM_VISIT_MANAGE, 0,
	 "approve and lock a month of the provider's visits"},
	{"GET", "/api/v1/visits/{id}", visits_api_get, PERM_VISIT_READ, R_AUDIT, "one visit"},
	{"POST", "/api/v1/visits/{id}/corrections", visits_api_correct, PERM_VISIT_MANAGE,
	 R_AUDIT, "correct a visit: a new row with a reason, the original kept"},

	/* Pages. */
	{"GET", "/", web_page_start, PERM_LOGIN, R_HTML, "start page"},
	{"GET", "/logga-in", web_page_login, PERM_PUBLIC, R_HTML, "login form"},
	{"POST", "/logga-in", web_login_post, PERM_PUBLIC, R_HTML | R_FORM, "log in"},
	{"POST", "/logga-ut", web_logout_post, PERM_LOGIN, R_HTML | R_FORM, "log out"},
	{"GET", "/personer", people_page_search, PERM_PERSON_SEARCH, R_HTML, "person search"},
	{"GET", "/personer/ny", people_page_new, PERM_PERSON_WRITE, R_HTML, "new person form"},
	{"POST", "/personer", people_page_create, PERM_PERSON_WRITE, R_HTML | R_FORM | R_AUDIT,
	 "create a person from the form"},
	{"GET", "/personer/{id}", people_page_person, PERM_PERSON_READ, R_HTML | R_AUDIT,
	 "person page"},
	{"GET", "/granskning", audit_page_list, PERM_AUDIT_READ, R_HTML, "audit view"},

	/* Pages of the authority process. */
	{"GET", "/mina-sidor", cases_page_mine, PERM_CASE_READ, R_HTML,
	 "Mina sidor: the citizen's and the represented persons' cases, decisions and letters"},
	{"GET", "/ansok", cases_page_apply, PERM_CASE_APPLY, R_HTML, "application form"},
	{"POST", "/ansok", cases_page_apply_post, PERM_CASE_APPLY,
	 R_HTML | R_FORM | R_UPLOAD | R_AUDIT,
	 "apply from the form; the receipt"},
	{"GET", "/arenden", cases_page_queue, PERM_CASE_WRITE, R_HTML,
	 "work queue and new cases to take"},
	{"GET", "/arenden/{id}", cases_page_case, PERM_CASE_WRITE, R_HTML | R_AUDIT, "case view"},
	{"POST", "/arenden/{id}/tilldela", cases_page_assign, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "take the case"},
	{"POST", "/arenden/{id}/tillstand", cases_page_state, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "move the case to another state"},
	{"POST", "/arenden/{id}/aterta", cases_page_withdraw, PERM_CASE_READ,
	 R_HTML | R_FORM | R_AUDIT, "withdraw an application"},
	{"POST", "/arenden/{id}/journal", cases_page_note_add, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "write a journal note (draft) or a correction"},
	{"POST", "/arenden/{id}/bedomning", cases_page_assessment_add, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "add an IBIC needs assessment"},
	{"POST", "/arenden/{id}/utredning", cases_page_investigation, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "start or change the investigation"},
	{"POST", "/arenden/{id}/beslut", cases_page_decide, PERM_DECIDE, R_HTML | R_FORM | R_AUDIT,
	 "decide within the delegation order, or refer upwards"},
	{"POST", "/arenden/{id}/bilagor", cases_page_attach, PERM_CASE_READ,
	 R_HTML | R_FORM | R_UPLOAD | R_AUDIT,
	 "add an attachment from the case view or Mina sidor (multipart/form-data)"},
	{"POST", "/anteckningar/{id}", cases_page_note_edit, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "change a draft journal note"},
	{"POST", "/anteckningar/{id}/signera", cases_page_note_sign, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "sign a journal note"},

	/* The manager's pages (issue 3 item 9): the reports as PERM_CASE_REPORT like their JSON
	 * routes, the delegation order as PERM_CASE_WRITE like GET /api/v1/delegation, and the
	 * cases referred upwards for a unit manager or an admin. */
	{"GET", "/chef/delegationsordning", cases_page_delegation, PERM_CASE_WRITE, R_HTML,
	 "the delegation order"},
	{"GET", "/chef/ej-verkstallda", cases_page_unexecuted, PERM_CASE_REPORT, R_HTML,
	 "unexecuted decisions of a quarter with the council's statistics"},
	{"GET", "/chef/ledtider", cases_page_lead_times, PERM_CASE_REPORT, R_HTML,
	 "lead times per service"},
	{"GET", "/chef/delegationsbeslut", cases_page_delegated, PERM_CASE_REPORT, R_HTML,
	 "delegated decisions of a period for the board"},
	{"GET", "/chef/hanskjutna", cases_page_referred, PERM_CASE_WRITE, R_HTML,
	 "cases referred upwards to the user's level"},

	/* The administrator's pages. */
	{"GET", "/admin/utredningsmallar", cases_page_templates, PERM_ADMIN, R_HTML,
	 "the investigation templates, and the form for a new one"},
	{"POST", "/admin/utredningsmallar", cases_page_template_add, PERM_ADMIN, R_HTML | R_FORM,
	 "add an investigation template from the form"},

	/* Pages of secure messages. */
	{"GET", "/meddelanden", messages_page_inbox, PERM_MESSAGE, R_HTML,
	 "the message inbox with unread markers"},
	{"GET", "/meddelanden/{id}", messages_page_thread, PERM_MESSAGE, R_HTML | R_AUDIT,
	 "a message thread with a reply form; marks it read"},
	{"POST", "/meddelanden/{id}", messages_page_reply, PERM_MESSAGE,
	 R_HTML | R_FORM | R_AUDIT, "reply in a message thread"},
	{"GET", "/arenden/{id}/nytt-meddelande", messages_page_new, PERM_MESSAGE,
	 R_HTML | R_AUDIT, "new message form of a case"},
	{"POST", "/arenden/{id}/nytt-meddelande", messages_page_new_post, PERM_MESSAGE,
	 R_HTML | R_FORM | R_AUDIT, "start a message thread from the form"},

	/* Pages of customer choice and providers (issue 4). */
	{"GET", "/utforare", providers_page_inbox, PERM_PROVIDER_WORK, R_HTML | R_AUDIT,
	 "the provider's inbox of orders"},
	{"GET", "/utforare/uppdrag/{id}", providers_page_order, PERM_PROVIDER_WORK,
	 R_HTML | R_AUDIT, "an order with accept, decline and the implementation plan editor"},
	{"POST", "/utforare/uppdrag/{id}/svar", providers_page_answer, PERM_PROVIDER_WORK,
	 R_HTML | R_FORM | R_AUDIT, "accept or decline an order"},
	{"POST", "/utforare/uppdrag/{id}/plan", providers_page_plan, PERM_PROVIDER_WORK,
	 R_HTML | R_FORM | R_AUDIT, "save the implementation plan"},
	{"GET", "/utforare/lediga", providers_page_vacancies, PERM_PROVIDER_MANAGE, R_HTML,
	 "vacancy marking"},
	{"POST", "/utforare/lediga", providers_page_vacancies_post, PERM_PROVIDER_MANAGE,
	 R_HTML | R_FORM, "save the vacancy marking"},
	{"GET", "/beslut/{id}/utforare", providers_page_choose_staff, PERM_CASE_WRITE,
	 R_HTML | R_AUDIT, "the caseworker's choice of provider and order for a decision"},
	{"POST", "/beslut/{id}/bestallning", providers_page_order_post, PERM_CASE_WRITE,
	 R_HTML | R_FORM | R_AUDIT, "send the order to the chosen provider"},
	{"GET", "/mina-sidor/val/{id}", providers_page_choose, PERM_CHOOSE, R_HTML | R_AUDIT,
	 "the citizen's choice of provider for a decision"},
	{"POST", "/mina-sidor/val/{id}", providers_page_choose_post, PERM_CHOOSE,
	 R_HTML | R_FORM | R_AUDIT, "choose a provider"},

	/* Pages of time reporting (issue 5). */
	{"GET", "/besok", visits_page_day, PERM_VISIT_REPORT, R_HTML | R_AUDIT,
	 "the phone page: today's customers with check-in, check-out and deviations (offline)"},
	{"GET", "/besok/uppfoljning", visits_page_followup, PERM_VISIT_READ, R_HTML | R_AUDIT,
	 "granted versus performed time of a month, with the provider admin's approval"},
	{"POST", "/besok/perioder", visits_page_lock, PERM_VISIT_MANAGE, R_HTML | R_FORM | R_AUDIT,
	 "approve and lock a month"},

	{"GET", "/static/{file}", web_static, PERM_PUBLIC, R_INLINE, "style sheet and scripts"},
};

const int http_nroutes = (int)(sizeof http_routes / sizeof http_routes[0]);
