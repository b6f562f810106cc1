/* The reader of owner.c: receives buffer A, writes into it, maps it on to relay (local id 1), acks the owner
 * (local id 2); after the owner's unmap its own onward map is refused; then it receives the granted buffer B and
 * waits for the owner's last word before it exits. */
#include "ladle.h"

int main(void) {
    ladle_msg m;
    unsigned r = ladle_wait(&m);
    if (LADLE_RESULT(r) != LADLE_OK || LADLE_KIND(r) != LADLE_MAP_PAGE_ITEM) {
        ladle_exit(1);
    }
    unsigned a = LADLE_ITEM_NUMBER(m.w[5]);
    volatile unsigned *pa = LADLE_ADDR_OF(a);
    if (pa[0] != 0xb0f) {
        ladle_exit(2);
    }
    pa[1] = 0xbeef;
    ladle_msg on = {{0, 0, 0, 0, 0, 0}};
    if (ladle_map_page(1, &on, a) != LADLE_OK) {
        ladle_exit(3);
    }
    ladle_msg ack = {{0, 0, 0, 0, 0, 0}};
    ladle_send(2, &ack);
    r = ladle_wait(&m); /* "revoked" */
    if (LADLE_RESULT(r) != LADLE_OK || m.w[0] != 2) {
        ladle_exit(4);
    }
    ladle_msg again = {{0, 0, 0, 0, 0, 0}};
    ladle_msg verdict = {{ladle_map_page(1, &again, a), 0, 0, 0, 0, 0}};
    ladle_send(2, &verdict);
    r = ladle_wait(&m); /* the granted buffer */
    if (LADLE_RESULT(r) != LADLE_OK || LADLE_KIND(r) != LADLE_GRANT_PAGE_ITEM) {
        ladle_exit(5);
    }
    volatile unsigned *pb = LADLE_ADDR_OF(LADLE_ITEM_NUMBER(m.w[5]));
    ladle_msg result = {{pb[0] == 0x9a27 ? 0 : 1, 0, 0, 0, 0, 0}};
    ladle_send(2, &result);
    /* stay alive until the owner has tried to map B again, so its refusal is about the page (E_UNMAPPED), not
     * about a receiver that already exited (E_DEAD) */
    r = ladle_wait(&m);
    if (LADLE_RESULT(r) != LADLE_OK || m.w[0] != 6) {
        ladle_exit(7);
    }
    ladle_exit(pb[0] == 0x9a27 ? 0 : 6);
}
