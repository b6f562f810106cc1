/*
 * Map, grant and unmap of a buffer. The owner maps buffer A to reader (local id 1), which maps it on to relay;
 * both write through their mappings and the owner sees it. Then the owner unmaps A: every derived mapping goes,
 * the owner's stays. Finally it grants buffer B to reader and no longer holds it.
 */
#include "ladle.h"

static unsigned wait_from(ladle_msg *m) {
    unsigned r = ladle_wait(m);
    return LADLE_RESULT(r);
}

int main(void) {
    unsigned a = LADLE_FIRST_FREE_PAGE; /* the two heap pages the boot description gives us */
    unsigned b = a + 1;
    volatile unsigned *pa = LADLE_ADDR_OF(a);
    volatile unsigned *pb = LADLE_ADDR_OF(b);
    pa[0] = 0xb0f;
    pb[0] = 0x9a27;
    ladle_msg m = {{1, 0, 0, 0, 0, 0}};
    if (ladle_map_page(1, &m, a) != LADLE_OK) {
        ladle_exit(1);
    }
    /* acks: one from reader (local id 1), one from relay */
    for (int i = 0; i < 2; i++) {
        if (wait_from(&m) != LADLE_OK) {
            ladle_exit(2);
        }
    }
    if (pa[1] != 0xbeef || pa[2] != 0xfeed) {
        ladle_exit(3); /* reader and relay wrote through their mappings */
    }
    if (ladle_unmap(a) != LADLE_OK) {
        ladle_exit(4);
    }
    if (pa[0] != 0xb0f) {
        ladle_exit(5); /* the owner keeps its own mapping */
    }
    ladle_msg revoked = {{2, 0, 0, 0, 0, 0}};
    ladle_send(1, &revoked);
    if (wait_from(&m) != LADLE_OK || m.w[0] != LADLE_E_UNMAPPED) {
        ladle_exit(6); /* reader's onward map was refused: its mapping is gone */
    }
    ladle_msg grant = {{3, 0, 0, 0, 0, 0}};
    if (ladle_grant_page(1, &grant, b) != LADLE_OK) {
        ladle_exit(7);
    }
    ladle_msg again = {{4, 0, 0, 0, 0, 0}};
    if (ladle_map_page(1, &again, b) != LADLE_E_UNMAPPED) {
        ladle_exit(8); /* granted away: no longer ours */
    }
    ladle_msg done = {{5, 0, 0, 0, 0, 0}};
    ladle_send(2, &done);
    if (wait_from(&m) != LADLE_OK || m.w[0] != 0) {
        ladle_exit(9); /* reader's verdict on the granted page */
    }
    ladle_msg bye = {{6, 0, 0, 0, 0, 0}};
    ladle_send(1, &bye); /* reader may exit now */
    ladle_exit(0);
}
