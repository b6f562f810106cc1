/* The relay of owner.c: receives buffer A from reader (a mapping derived from reader's), writes into it, acks the
 * owner (local id 1); after the owner's "done" it finds the page unmapped (unmapping it is refused). */
#include "ladle.h"

int main(void) {
    ladle_msg m;
    unsigned r = ladle_wait(&m);
    if (LADLE_RESULT(r) != LADLE_OK || LADLE_KIND(r) != LADLE_MAP_PAGE_ITEM) {
        ladle_exit(1);
    }
    unsigned a = LADLE_ITEM_NUMBER(m.w[5]);
    volatile unsigned *pa = LADLE_ADDR_OF(a);
    if (pa[1] != 0xbeef) {
        ladle_exit(2);
    }
    pa[2] = 0xfeed;
    ladle_msg ack = {{0, 0, 0, 0, 0, 0}};
    ladle_send(1, &ack);
    r = ladle_wait(&m); /* "done", sent after the unmap */
    if (LADLE_RESULT(r) != LADLE_OK || m.w[0] != 5) {
        ladle_exit(3);
    }
    ladle_exit(ladle_unmap(a) == LADLE_E_UNMAPPED ? 0 : 4);
}
