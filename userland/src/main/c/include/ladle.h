/*
 * ladle.h: the Ladle system-call ABI for C programs on IA-32 (docs/abi.md, the contract).
 *
 * A system call is `int 0x30`: EAX bits 0..7 the operation, bits 8..31 the operand (a local id, or a
 * virtual page number for UNMAP); message words 1..6 in EBX, ECX, EDX, ESI, EDI, EBP; the result code
 * comes back in EAX bits 0..7. A test compares every number below with docs/abi.md.
 *
 * Freestanding: no libc, no headers but this one. Build with gcc -m32 -ffreestanding -nostdlib -static.
 */
#ifndef LADLE_H
#define LADLE_H

#define LADLE_SYSCALL_VECTOR 0x30

/* operations */
#define LADLE_OP_SEND 1
#define LADLE_OP_RECEIVE 2
#define LADLE_OP_WAIT 3
#define LADLE_OP_MAP_PAGE 4
#define LADLE_OP_GRANT_PAGE 5
#define LADLE_OP_COPY_PAGE 6
#define LADLE_OP_MAP_CAP 7
#define LADLE_OP_GRANT_CAP 8
#define LADLE_OP_COPY_CAP 9
#define LADLE_OP_UNMAP 10
#define LADLE_OP_REVOKE 11
#define LADLE_OP_THREAD_CREATE 12
#define LADLE_OP_THREAD_DELETE 13
#define LADLE_OP_PROCESS_CREATE 14
#define LADLE_OP_PROCESS_DELETE 15
#define LADLE_OP_QUERY 16
#define LADLE_OP_YIELD 17
#define LADLE_OP_EXIT 18

/* result codes */
#define LADLE_OK 0
#define LADLE_E_UNKNOWN_OP 1
#define LADLE_E_BAD_ID 2
#define LADLE_E_NO_RIGHT 3
#define LADLE_E_FULL 4
#define LADLE_E_UNMAPPED 5
#define LADLE_E_DEAD 6
#define LADLE_E_EMPTY 7
#define LADLE_E_NO_SLOT 8
#define LADLE_E_NO_MEMORY 9
#define LADLE_E_BAD_ARG 10
#define LADLE_E_NOT_SUPPORTED 11
#define LADLE_E_BLOCKED 12

/* item kinds */
#define LADLE_NONE 0
#define LADLE_MAP_PAGE_ITEM 1
#define LADLE_GRANT_PAGE_ITEM 2
#define LADLE_COPY_PAGE_ITEM 3
#define LADLE_MAP_CAP_ITEM 4
#define LADLE_GRANT_CAP_ITEM 5
#define LADLE_COPY_CAP_ITEM 6

/* item descriptor: kind in bits 0..3, rights in 4..5 (capabilities) or 6 (pages), the number (page or local id)
 * in 8..31 */
#define LADLE_RIGHT_SEND (1u << 4)
#define LADLE_RIGHT_GRANT (1u << 5)
#define LADLE_PAGE_READ_ONLY (1u << 6)
#define LADLE_ITEM(number, rights) (((unsigned)(number) << 8) | (rights))
#define LADLE_ITEM_KIND_OF(desc) ((desc) & 0xfu)
#define LADLE_ITEM_NUMBER(desc) ((unsigned)(desc) >> 8)

/* query answer bits (EBX) */
#define LADLE_QUERY_SEND 1
#define LADLE_QUERY_ITEMS 2
#define LADLE_QUERY_POTENTIAL 4

/* the first word of a fault message sent to a pager */
#define LADLE_FAULT_TAG 0x4c464c54u

/* EAX after a receive: result, item kind, the sender's local id in the receiver's table (0: anonymous) */
#define LADLE_RESULT(eax) ((eax) & 0xffu)
#define LADLE_KIND(eax) (((eax) >> 8) & 0xfu)
#define LADLE_SENDER(eax) ((unsigned)(eax) >> 12)

#define LADLE_PAGE_SIZE 4096u
#define LADLE_PAGE_OF(addr) ((unsigned)(addr) >> 12)
#define LADLE_ADDR_OF(page) ((void *)((unsigned)(page) << 12))

#ifndef LADLE_NUMBERS_ONLY /* lib/exit.c takes the numbers only and defines the global ladle_exit */

/* A message: words 1..6 travel in EBX, ECX, EDX, ESI, EDI, EBP. */
typedef struct {
    unsigned w[6];
} ladle_msg;

/*
 * The one trap: loads the six words from m, enters the kernel, stores the six registers back into m and
 * returns EAX. EBP may be the frame pointer, so it is saved around the trap; the pointer to m rides on
 * the stack while every general register carries a word.
 */
static inline unsigned ladle_trap(unsigned eax, ladle_msg *m) {
    __asm__ volatile(
        "pushl %%ebp\n\t"
        "pushl %%edi\n\t"
        "movl 0(%%edi), %%ebx\n\t"
        "movl 4(%%edi), %%ecx\n\t"
        "movl 8(%%edi), %%edx\n\t"
        "movl 12(%%edi), %%esi\n\t"
        "movl 20(%%edi), %%ebp\n\t"
        "movl 16(%%edi), %%edi\n\t"
        "int $0x30\n\t"
        "xchgl %%edi, (%%esp)\n\t"
        "movl %%ebx, 0(%%edi)\n\t"
        "movl %%ecx, 4(%%edi)\n\t"
        "movl %%edx, 8(%%edi)\n\t"
        "movl %%esi, 12(%%edi)\n\t"
        "movl %%ebp, 20(%%edi)\n\t"
        "popl %%ebx\n\t"
        "movl %%ebx, 16(%%edi)\n\t"
        "popl %%ebp\n\t"
        : "+a"(eax), "+D"(m)
        :
        : "ebx", "ecx", "edx", "esi", "memory", "cc");
    return eax;
}

static inline unsigned ladle_call(unsigned op, unsigned operand, ladle_msg *m) {
    return ladle_trap(op | (operand << 8), m);
}

static inline unsigned ladle_send(unsigned to, ladle_msg *m) {
    return LADLE_RESULT(ladle_call(LADLE_OP_SEND, to, m));
}

/* Non-blocking: LADLE_E_EMPTY when nothing is queued. Returns the whole EAX (use LADLE_RESULT etc.). */
static inline unsigned ladle_receive(ladle_msg *m) {
    return ladle_call(LADLE_OP_RECEIVE, 0, m);
}

/* Blocks until a message is there, then receives it. Returns the whole EAX. */
static inline unsigned ladle_wait(ladle_msg *m) {
    return ladle_call(LADLE_OP_WAIT, 0, m);
}

/* Page items: m->w[5] is overwritten with the descriptor naming the sender's page. */
static inline unsigned ladle_map_page(unsigned to, ladle_msg *m, unsigned page) {
    m->w[5] = LADLE_ITEM(page, 0);
    return LADLE_RESULT(ladle_call(LADLE_OP_MAP_PAGE, to, m));
}

/* The receiver may read the page but not write it (a write is a page fault with the present bit set). */
static inline unsigned ladle_map_page_read_only(unsigned to, ladle_msg *m, unsigned page) {
    m->w[5] = LADLE_ITEM(page, LADLE_PAGE_READ_ONLY);
    return LADLE_RESULT(ladle_call(LADLE_OP_MAP_PAGE, to, m));
}

static inline unsigned ladle_grant_page(unsigned to, ladle_msg *m, unsigned page) {
    m->w[5] = LADLE_ITEM(page, 0);
    return LADLE_RESULT(ladle_call(LADLE_OP_GRANT_PAGE, to, m));
}

static inline unsigned ladle_copy_page(unsigned to, ladle_msg *m, unsigned page) {
    m->w[5] = LADLE_ITEM(page, 0);
    return LADLE_RESULT(ladle_call(LADLE_OP_COPY_PAGE, to, m));
}

/* Capability items: the receiver gets `rights` (LADLE_RIGHT_SEND | LADLE_RIGHT_GRANT, none the sender lacks). */
static inline unsigned ladle_map_cap(unsigned to, ladle_msg *m, unsigned id, unsigned rights) {
    m->w[5] = LADLE_ITEM(id, rights);
    return LADLE_RESULT(ladle_call(LADLE_OP_MAP_CAP, to, m));
}

static inline unsigned ladle_grant_cap(unsigned to, ladle_msg *m, unsigned id) {
    m->w[5] = LADLE_ITEM(id, 0);
    return LADLE_RESULT(ladle_call(LADLE_OP_GRANT_CAP, to, m));
}

static inline unsigned ladle_copy_cap(unsigned to, ladle_msg *m, unsigned id, unsigned rights) {
    m->w[5] = LADLE_ITEM(id, rights);
    return LADLE_RESULT(ladle_call(LADLE_OP_COPY_CAP, to, m));
}

static inline unsigned ladle_unmap(unsigned page) {
    ladle_msg m = {{0}};
    return LADLE_RESULT(ladle_call(LADLE_OP_UNMAP, page, &m));
}

static inline unsigned ladle_revoke(unsigned id) {
    ladle_msg m = {{0}};
    return LADLE_RESULT(ladle_call(LADLE_OP_REVOKE, id, &m));
}

/* On success *new_id is the caller's local id for the new thread. */
static inline unsigned ladle_thread_create(void (*entry)(void), void *stack_top, unsigned *new_id) {
    ladle_msg m = {{(unsigned)entry, (unsigned)stack_top, 0, 0, 0, 0}};
    unsigned r = LADLE_RESULT(ladle_call(LADLE_OP_THREAD_CREATE, 0, &m));
    *new_id = m.w[0];
    return r;
}

static inline unsigned ladle_thread_delete(unsigned id) {
    ladle_msg m = {{0}};
    return LADLE_RESULT(ladle_call(LADLE_OP_THREAD_DELETE, id, &m));
}

static inline unsigned ladle_process_create(unsigned *new_id) {
    ladle_msg m = {{0}};
    unsigned r = LADLE_RESULT(ladle_call(LADLE_OP_PROCESS_CREATE, 0, &m));
    *new_id = m.w[0];
    return r;
}

static inline unsigned ladle_process_delete(unsigned id) {
    ladle_msg m = {{0}};
    return LADLE_RESULT(ladle_call(LADLE_OP_PROCESS_DELETE, id, &m));
}

/* The communication query: answer bits LADLE_QUERY_*; for id 0 the counts of threads reachable now and
 * potentially land in m->w[1] and m->w[2]. */
static inline unsigned ladle_query(unsigned id, ladle_msg *m) {
    ladle_call(LADLE_OP_QUERY, id, m);
    return m->w[0];
}

static inline void ladle_yield(void) {
    ladle_msg m = {{0}};
    ladle_call(LADLE_OP_YIELD, 0, &m);
}

/* Ends the calling thread with a status (EBX) the kernel reports; never returns. */
static inline __attribute__((noreturn)) void ladle_exit(unsigned status) {
    ladle_msg m = {{status, 0, 0, 0, 0, 0}};
    for (;;) {
        ladle_call(LADLE_OP_EXIT, 0, &m);
    }
}

/* The first page after the image (its .bss included): a program's lowest free page when it has no heap. */
extern char _end[];
#define LADLE_FIRST_FREE_PAGE (LADLE_PAGE_OF((unsigned)_end + LADLE_PAGE_SIZE - 1))

#endif /* LADLE_NUMBERS_ONLY */

#endif
