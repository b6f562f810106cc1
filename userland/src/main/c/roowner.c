/* Maps a page of its heap read-only to roreader.c (local id 1), which answers with what it read there:
 * exits 0 when the reader saw the owner's word and the owner's own mapping stayed writable. */
#include "ladle.h"

int main(void) {
    unsigned page = LADLE_FIRST_FREE_PAGE;
    volatile unsigned *p = LADLE_ADDR_OF(page);
    p[3] = 0x5ca1ab1e;
    ladle_msg m = {{0, 0, 0, 0, 0, 0}};
    if (ladle_map_page_read_only(1, &m, page) != LADLE_OK) {
        return 1;
    }
    ladle_wait(&m);
    if (m.w[0] != 0x5ca1ab1e) {
        return 2;
    }
    p[3] = 0; /* the owner keeps its write right */
    return p[3] == 0 ? 0 : 3;
}
