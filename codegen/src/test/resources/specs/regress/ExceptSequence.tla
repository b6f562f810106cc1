--------------------------- MODULE ExceptSequence ---------------------------
(* Regression: an EXCEPT applies its updates in sequence, each @ seeing what the previous ones left
   (`![a] = @ + 1, ![a] = @ * 2` doubles the incremented value); a path outside a function's domain or a
   sequence's length leaves the value unchanged. The machine once computed each update from the state
   before the action (the last one won), and wrote an update outside the domain into the next variable. *)
EXTENDS Integers, Sequences

VARIABLES f,   \* a function over a range
          r,   \* a function of records
          g,   \* a function of functions
          q,   \* a bounded sequence
          rec  \* a record

TypeOK == /\ f \in [0..2 -> -100..100]
          /\ r \in [0..2 -> [x : 0..9, y : 0..9]]
          /\ g \in [0..1 -> [0..1 -> 0..9]]
          /\ q \in Seq(0..49)
          /\ Len(q) <= 3
          /\ rec \in [x : 0..49, y : BOOLEAN]

Init == /\ f = [i \in 0..2 |-> i]
        /\ r = [i \in 0..2 |-> [x |-> 0, y |-> 0]]
        /\ g = [i \in 0..1 |-> [j \in 0..1 |-> 0]]
        /\ q = <<>>
        /\ rec = [x |-> 1, y |-> FALSE]

Twice(a) == /\ f[a] < 20
            /\ f' = [f EXCEPT ![a] = @ + 1, ![a] = @ * 2]
            /\ UNCHANGED <<r, g, q, rec>>

Fields(a) == /\ r' = [r EXCEPT ![a].x = (@ + 1) % 10, ![a].y = (@ + r[a].x + 1) % 10]
             /\ UNCHANGED <<f, g, q, rec>>

Whole(a) == /\ r' = [r EXCEPT ![a].x = (@ + 3) % 10, ![a] = [@ EXCEPT !.y = (@ + 1) % 10]]
            /\ UNCHANGED <<f, g, q, rec>>

Nested(a, b) == /\ g' = [g EXCEPT ![a][b] = (@ + 1) % 10, ![a][1 - b] = (@ + g[a][b]) % 10,
                                  ![a][b] = (@ * 3) % 10]
                /\ UNCHANGED <<f, r, q, rec>>

Outside(a) == /\ f' = [f EXCEPT ![a + 2] = 7]
              /\ UNCHANGED <<r, g, q, rec>>

OutsideAt(a) == /\ f' = [f EXCEPT ![a - 1] = @ + 1, ![a + 2] = @ - 1]
                /\ UNCHANGED <<r, g, q, rec>>

Push(x) == /\ Len(q) < 3
           /\ q' = Append(q, x)
           /\ UNCHANGED <<f, r, g, rec>>

Pop == /\ q /= <<>>
       /\ q' = Tail(q)
       /\ UNCHANGED <<f, r, g, rec>>

SeqTwice(a) == /\ q' = [q EXCEPT ![a] = (@ + 1) % 50, ![a] = (@ * 2) % 50]
               /\ UNCHANGED <<f, r, g, rec>>

RecTwice == /\ rec' = [rec EXCEPT !.x = (@ + 1) % 50, !.y = ~@, !.x = (@ * 3) % 50]
            /\ UNCHANGED <<f, r, g, q>>

Reset == /\ f' = [i \in 0..2 |-> i]
         /\ UNCHANGED <<r, g, q, rec>>

Next == \/ \E a \in 0..2 : Twice(a) \/ Fields(a) \/ Whole(a) \/ Outside(a) \/ OutsideAt(a)
        \/ \E a, b \in 0..1 : Nested(a, b)
        \/ \E x \in 0..49 : Push(x)
        \/ Pop
        \/ \E a \in 0..4 : SeqTwice(a)
        \/ RecTwice
        \/ Reset
=============================================================================
