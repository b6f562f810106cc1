/* An introduction through a mutual acquaintance: intro holds alice (local id 1, send and grant) and bob (local
 * id 2, send only) and maps its bob capability to alice, who then talks to bob directly. No name server. */
#include "ladle.h"

int main(void) {
    ladle_msg q = {{0, 0, 0, 0, 0, 0}};
    unsigned answer = ladle_query(2, &q);
    if (!(answer & LADLE_QUERY_SEND) || (answer & LADLE_QUERY_ITEMS)) {
        ladle_exit(1); /* bob: send now, no items */
    }
    ladle_msg m;
    unsigned r = ladle_wait(&m); /* alice has counted her capabilities: only intro */
    if (LADLE_RESULT(r) != LADLE_OK || m.w[0] != 0x7ead) {
        ladle_exit(4);
    }
    m = (ladle_msg){{0x1e7, 0, 0, 0, 0, 0}};
    if (ladle_map_cap(1, &m, 2, LADLE_RIGHT_SEND) != LADLE_OK) {
        ladle_exit(2);
    }
    r = ladle_wait(&m);
    if (LADLE_RESULT(r) != LADLE_OK || m.w[0] != 0xd0e) {
        ladle_exit(3);
    }
    ladle_exit(0);
}
