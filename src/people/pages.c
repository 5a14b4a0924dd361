#include "http/http.h"
#include "people/people_api.h"
#include "web/web.h"

int
people_page_search(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}

int
people_page_person(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}

int
people_page_new(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}

int
people_page_create(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}
