------------------------------ MODULE Counter ------------------------------
EXTENDS Naturals
CONSTANTS Max      \* the counter's ceiling
VARIABLES n        \* the count
TypeOK == n \in 0..Max
Init == n = 0
Below == n < Max
Inc == /\ Below
       /\ n' = n + 1
Reset(k) == /\ k <= n
            /\ n' = n - k
Next == Inc \/ \E k \in 1..2 : Reset(k)
InRange == n <= Max
=============================================================================
