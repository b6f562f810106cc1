---------------------------- MODULE ConstantFold ----------------------------
(* Regression for constant folding in the generator: integer and boolean subexpressions of literals are     *)
(* computed at generation time, and only those TLC computes without stopping: an overflow or a division by *)
(* zero between literals stays in the generated code, which raises where TLC stops.                        *)
EXTENDS Integers

VARIABLES x,   \* a counter kept inside -9..9
          b    \* a flag

TypeOK == /\ x \in -10..10
          /\ b \in BOOLEAN

Init == /\ x = 2 - 2
        /\ b = (3 < 2)

Up == /\ 2 * 3 > 5 /\ TRUE
      /\ x < 10 - 1
      /\ x' = x + (7 \div 2) - (7 % 4) + (IF 1 < 2 THEN 1 ELSE 0)
      /\ b' = (~(1 = 1) \/ b)

Down == /\ FALSE \/ x > -(3 * 3)
        /\ x' = x - (-(-1))
        /\ UNCHANGED b

Flip == /\ 3 \in {1, 2, 3}
        /\ 3 \notin 4..6
        /\ x \in {0, 1, 2, 4 - 1}
        /\ b' = ~b
        /\ UNCHANGED x

Overflow == /\ x = 2
            /\ 2147483647 + 1 > 0
            /\ UNCHANGED <<x, b>>

DivZero == /\ x = -2
           /\ (-7) \div (1 - 1) = 0
           /\ UNCHANGED <<x, b>>

Next == Up \/ Down \/ Flip \/ Overflow \/ DivZero
=============================================================================
