/*
 * Process startup: the kernel starts a thread at _start with ESP at the top of its stack. _start calls
 * main() and passes its result to ladle_exit(), which traps with int $0x30. ladle_exit is weak so the
 * system library can supply the real exit call; this default uses operation LADLE_START_EXIT_OP
 * (EAX low byte, no destination) with the exit code in EBX, then halts should the kernel resume it
 * (HLT is privileged in ring 3: the x86 CPU reports it as Stop.Halted).
 */
#ifndef LADLE_START_EXIT_OP
#define LADLE_START_EXIT_OP 0xff
#endif
        .text
        .globl  _start
_start:
        xorl    %ebp, %ebp
        andl    $-16, %esp
        call    main
        pushl   %eax
        call    ladle_exit
1:      hlt
        jmp     1b

        .weak   ladle_exit
        .type   ladle_exit, @function
ladle_exit:
        movl    4(%esp), %ebx
        movl    $LADLE_START_EXIT_OP, %eax
        int     $0x30
1:      hlt
        jmp     1b
        .section .note.GNU-stack,"",@progbits
