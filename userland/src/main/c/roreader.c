/* Receives a read-only page from roowner.c, checks the descriptor says so, reads the owner's word and sends
 * it back (local id 1), then writes to the page: a page fault that ends this thread (exit 9 if it did not). */
#include "ladle.h"

int main(void) {
    ladle_msg m;
    unsigned r = ladle_wait(&m);
    if (LADLE_RESULT(r) != LADLE_OK || LADLE_KIND(r) != LADLE_MAP_PAGE_ITEM) {
        return 1;
    }
    if ((m.w[5] & LADLE_PAGE_READ_ONLY) == 0) {
        return 2;
    }
    volatile unsigned *p = LADLE_ADDR_OF(LADLE_ITEM_NUMBER(m.w[5]));
    ladle_msg back = {{p[3], 0, 0, 0, 0, 0}};
    ladle_send(1, &back);
    p[3] = 1;
    return 9;
}
