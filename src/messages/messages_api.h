/*
 * The routes of secure messages, for the route table (src/http/routes.c).
 */
#ifndef HANNA_MESSAGES_API_H
#define HANNA_MESSAGES_API_H

struct req;

int messages_api_start(struct req *r);        /* POST /api/v1/cases/{id}/threads */
int messages_api_case_threads(struct req *r); /* GET /api/v1/cases/{id}/threads */
int messages_api_inbox(struct req *r);        /* GET /api/v1/threads */
int messages_api_thread(struct req *r);       /* GET /api/v1/threads/{id} */
int messages_api_post(struct req *r);         /* POST /api/v1/threads/{id}/messages */
int messages_api_read(struct req *r);         /* POST /api/v1/threads/{id}/read */
int messages_api_unread(struct req *r);       /* GET /api/v1/messages/unread */

/* Pages (pages.c). */
int messages_page_inbox(struct req *r);    /* GET /meddelanden */
int messages_page_thread(struct req *r);   /* GET /meddelanden/{id} */
int messages_page_reply(struct req *r);    /* POST /meddelanden/{id} */
int messages_page_new(struct req *r);      /* GET /arenden/{id}/nytt-meddelande */
int messages_page_new_post(struct req *r); /* POST /arenden/{id}/nytt-meddelande */

#endif
