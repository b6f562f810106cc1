/*
 * A pager: every fault message it receives is answered with a copy of its template page (its first heap page,
 * stamped with a pattern), sent to the faulting thread. The copy lands at the faulting thread's lowest free page,
 * which is where a program growing its memory upwards faults.
 */
#include "ladle.h"

int main(void) {
    unsigned template_page = LADLE_FIRST_FREE_PAGE;
    volatile unsigned *template = LADLE_ADDR_OF(template_page);
    template[0] = 0x600d0a9eu;
    ladle_msg m;
    unsigned served = 0;
    for (;;) {
        unsigned r = ladle_wait(&m);
        if (LADLE_RESULT(r) != LADLE_OK || m.w[0] != LADLE_FAULT_TAG) {
            continue;
        }
        unsigned client = LADLE_SENDER(r);
        template[1] = m.w[1]; /* the faulting address, so the client can see its own fault was served */
        template[2] = ++served;
        ladle_msg reply = {{LADLE_FAULT_TAG, m.w[1], 0, 0, 0, 0}};
        while (ladle_copy_page(client, &reply, template_page) == LADLE_E_FULL) {
            ladle_yield();
        }
    }
}
