/* axe_audit.h: the accessibility audit of the page a browser shows, by
 * axe-core (npm, pinned in tests/axe/package-lock.json, installed by
 * scripts/install-deps) injected through WebDriver and run for WCAG 2.0 and
 * 2.1, levels A and AA.
 */
#ifndef AXE_AUDIT_H
#define AXE_AUDIT_H

#include "webdriver.h"

#define AXE_JS "tests/axe/node_modules/axe-core/axe.min.js"

/* Audits the page wd shows as it is now. Prints each violation (its rule,
 * impact and first nodes) under the name what. The number of violations,
 * or -1 when axe is missing, could not run or checked nothing (said on
 * stderr). */
int axe_audit(struct webdriver *wd, const char *what);
/* The audit at a desktop's width and at a phone's, each after show(ctx)
 * has brought the page to the state to audit (0, or -1 when it could not);
 * the window is left at the desktop's size. The violations of both, or -1
 * when either audit or show failed. */
int axe_audit_widths(struct webdriver *wd, const char *what, int (*show)(void *ctx), void *ctx);

#endif
