/* route_suggest.c: GET /api/suggest?q=… for a search box: the query with
 * its last word completed from the index's words (most used first), every
 * earlier word that is only a prefix completed too, and the titles of the
 * pages the first completion finds, those with its words in their titles
 * first. Work per call is bounded (suggest.h). */
#include "server.h"

#include "doc_data.h"

#include "buf.h"
#include "query.h"
#include "schema.h"
#include "suggest.h"
#include "text.h"
#include "tokenize.h"

#include <stdlib.h>
#include <string.h>

#define SUGGEST_Q_MAX 200
#define TITLES_MAX 5
#define WORDS_MAX 8

/* 1 when the index has word as a word of its own. */
static int known(xc_db *db, const char *word)
{
    unsigned n = 0;
    xc_db_term_freq(db, word, &n, NULL);
    return n > 0;
}

/* The completions of prefix into out (caller frees each): how many. A
 * completion is a hint: when the index fails, there is none rather than an
 * error. */
static size_t complete(char **out, struct reader *rd, const char *prefix)
{
    int n = suggest_complete(out, rd->db, rd->completions, prefix, NULL);
    return n < 0 ? 0 : (size_t)n;
}

/* The titles of the best pages for the query text. */
static json_t *titles_of_query(struct reader *rd, const char *text)
{
    json_t *list = json_array();
    struct query_ctx qc = {rd->an, rd->db, rd->synonyms, &rd->langs, 0};
    struct query_result qr;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    if (!list || query_build(&qr, &qc, text, NULL) != 0)
        return list;
    if (qr.query && xc_enquire_new(&e, rd->db, NULL) == 0 &&
        xc_enquire_set_query(e, qr.query, NULL) == 0 &&
        xc_enquire_get_mset(e, 0, TITLES_MAX, 0, &m, NULL) == 0) {
        for (unsigned i = 0; i < xc_mset_size(m); i++) {
            xc_doc *d = NULL;
            char *data = NULL;
            size_t len = 0;
            if (xc_mset_document(m, i, &d, NULL) == 0 && xc_doc_get_data(d, &data, &len, NULL) == 0) {
                json_t *stored = NULL;
                (void)doc_data_decode(&stored, NULL, NULL, NULL, data, len);
                json_t *t = json_object_get(stored, "title");
                if (json_is_string(t))
                    json_array_append_new(list, json_pack("{s:O,s:O,s:O?}", "id",
                                                          json_object_get(stored, "id"), "title", t,
                                                          "url", json_object_get(stored, "url")));
                json_decref(stored);
            }
            free(data);
            xc_doc_free(d);
        }
    }
    xc_mset_free(m);
    xc_enquire_free(e);
    query_result_dispose(&qr);
    return list;
}

/* The titles of the best pages for text: of those whose titles hold all
 * its words, else any of them (title:WORD each: short posting lists, so
 * that a keystroke stays cheap when a word is on thousands of pages; two
 * thirds of a suggestion's time went to ranking them all), else of those
 * the whole query finds. */
static json_t *titles_for(struct reader *rd, const char *text)
{
    struct buf all = BUF_INIT, any = BUF_INIT;
    struct tokenizer tz;
    struct tok t;
    tok_init(&tz, text, strlen(text));
    while (tok_next(&tz, &t))
        if (!an_is_stopword(t.word, t.wlen)) {
            buf_printf(&all, "%stitle:%s", all.len ? " " : "", t.word);
            buf_printf(&any, "%stitle:%s", any.len ? " OR " : "", t.word);
        }
    json_t *list = all.len ? titles_of_query(rd, all.data) : NULL;
    if (json_array_size(list) == 0 && any.len && strstr(any.data, " OR ")) {
        json_decref(list);
        list = titles_of_query(rd, any.data);
    }
    buf_dispose(&all);
    buf_dispose(&any);
    if (json_array_size(list) > 0)
        return list;
    json_decref(list);
    return titles_of_query(rd, text);
}

enum MHD_Result route_suggest(struct request *r)
{
    const char *q = request_arg(r, "q");
    if (!q)
        q = "";
    if (strlen(q) > SUGGEST_Q_MAX || !text_is_utf8(q, strlen(q)))
        return reply_error(r, 400, "parameter q must be at most %d bytes of UTF-8",
                           SUGGEST_Q_MAX);
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    if (!rd)
        return reply_error(r, 503, "%s", err);
    enum MHD_Result ret;
    char etag[40];
    if (reply_etag_check(r, xc_db_version(rd->db), etag, &ret) == 0)
        return ret;
    struct tokenizer tz;
    struct tok t;
    struct buf head = BUF_INIT;   /* the earlier words, completed */
    char last[TOK_WORD_MAX + 1] = "";
    size_t qlen = strlen(q);
    int ends_word = qlen && q[qlen - 1] != ' ';
    int nwords = 0;
    tok_init(&tz, q, qlen);
    while (tok_next(&tz, &t) && nwords < WORDS_MAX) {
        if (last[0]) {
            char *done[SUGGEST_MAX];
            size_t n = known(rd->db, last) ? 0 : complete(done, rd, last);
            buf_printf(&head, "%s%s", head.len ? " " : "", n ? done[0] : last);
            for (size_t i = 0; i < n; i++)
                free(done[i]);
        }
        memcpy(last, t.word, t.wlen + 1);
        nwords++;
    }
    if (last[0] && !ends_word) {   /* "segregation " asks for no completion */
        buf_printf(&head, "%s%s", head.len ? " " : "", last);
        last[0] = '\0';
    }
    char *words[SUGGEST_MAX];
    size_t n = last[0] ? complete(words, rd, last) : 0;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        struct buf s = BUF_INIT;
        buf_printf(&s, "%s%s%s", head.data ? head.data : "", head.len ? " " : "", words[i]);
        json_array_append_new(list, json_string(s.data ? s.data : ""));
        buf_dispose(&s);
    }
    struct buf best = BUF_INIT;
    buf_printf(&best, "%s%s%s", head.data ? head.data : "", head.len && n ? " " : "",
               n ? words[0] : "");
    json_t *titles = best.len ? titles_for(rd, best.data) : json_array();
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    buf_dispose(&best);
    buf_dispose(&head);
    an_trim(rd->an);
    json_t *answer = json_pack("{s:s,s:o,s:o,s:f}", "query", q, "suggestions", list, "titles",
                               titles, "took_ms", clock_ms() - r->started_ms);
    return answer ? reply_json_etag(r, answer, etag) : reply_error(r, 500, "out of memory");
}
