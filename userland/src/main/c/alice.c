/* Alice: before the introduction she can send to one thread (intro); she receives a capability to bob, sends him
 * a greeting through it, and tells intro. */
#include "ladle.h"

int main(void) {
    ladle_msg q = {{0, 0, 0, 0, 0, 0}};
    ladle_query(0, &q);
    if (q.w[1] != 1) {
        ladle_exit(1); /* only intro */
    }
    ladle_msg ready = {{0x7ead, 0, 0, 0, 0, 0}};
    ladle_send(1, &ready); /* intro introduces only after this count, so it cannot race with it */
    ladle_msg m;
    unsigned r = ladle_wait(&m);
    if (LADLE_RESULT(r) != LADLE_OK || LADLE_KIND(r) != LADLE_MAP_CAP_ITEM) {
        ladle_exit(2);
    }
    unsigned bob = LADLE_ITEM_NUMBER(m.w[5]);
    if (!(m.w[5] & LADLE_RIGHT_SEND)) {
        ladle_exit(3);
    }
    ladle_query(0, &q);
    if (q.w[1] != 2) {
        ladle_exit(4); /* intro and bob */
    }
    ladle_msg hello = {{0x4e110, 0xa11ce, 0, 0, 0, 0}};
    if (ladle_send(bob, &hello) != LADLE_OK) {
        ladle_exit(5);
    }
    ladle_msg done = {{0xd0e, 0, 0, 0, 0, 0}};
    ladle_send(1, &done);
    ladle_exit(0);
}
