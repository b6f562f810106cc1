/*
 * A program that grows its memory upwards with no page mapped there: each first touch of a page faults, the
 * kernel sends the fault to the pager (local id 1), the pager's copy lands at that page, the store is retried.
 */
#include "ladle.h"

#define PAGES 3

int main(void) {
    unsigned first = LADLE_FIRST_FREE_PAGE;
    for (unsigned i = 0; i < PAGES; i++) {
        volatile unsigned *p = LADLE_ADDR_OF(first + i);
        p[100] = 1000 + i; /* faults: unmapped */
        if (p[0] != 0x600d0a9eu) {
            ladle_exit(1); /* the pager's template was copied in */
        }
        if (p[1] != (unsigned)&p[100]) {
            ladle_exit(2); /* the pager saw our faulting address */
        }
    }
    for (unsigned i = 0; i < PAGES; i++) {
        volatile unsigned *p = LADLE_ADDR_OF(first + i);
        if (p[100] != 1000 + i) {
            ladle_exit(3); /* every page is ours and keeps what we stored */
        }
    }
    /* the pager's answers are ordinary messages, each with the page it carried */
    ladle_msg m;
    for (unsigned i = 0; i < PAGES; i++) {
        unsigned r = ladle_receive(&m);
        if (LADLE_RESULT(r) != LADLE_OK || LADLE_KIND(r) != LADLE_COPY_PAGE_ITEM) {
            ladle_exit(4);
        }
        if (LADLE_ITEM_NUMBER(m.w[5]) != first + i) {
            ladle_exit(5);
        }
    }
    ladle_exit(0);
}
