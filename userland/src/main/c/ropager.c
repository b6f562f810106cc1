/* The pager of rotext.c: waits for one fault message and exits with its SDM error code as status (100 when
 * the message is not a fault message, 101 when the address or the faulting EIP is not in the code page). */
#include "ladle.h"

int main(void) {
    ladle_msg m;
    ladle_wait(&m);
    if (m.w[0] != LADLE_FAULT_TAG) {
        return 100;
    }
    if (LADLE_PAGE_OF(m.w[1]) != 0x08048u || LADLE_PAGE_OF(m.w[3]) != 0x08048u) {
        return 101;
    }
    return m.w[2];
}
