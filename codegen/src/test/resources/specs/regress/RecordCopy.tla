----------------------------- MODULE RecordCopy -----------------------------
(* Regression for the bulk reader of a record whose leaves are one word each: copyBox(i, j, into, offset)    *)
(* copies box[i][j] with one System.arraycopy, and a constant per leaf (BOX_FROM, BOX_WORDS, BOX_ITEM_KIND,   *)
(* ...) gives its position among the copied words. Every kind of leaf is there: a model value and the null   *)
(* beside its set (NoId), an integer at the 32-bit edges, a range, a boolean, a string constant, a function  *)
(* of integers and a nested record, in a function of two indices (the reader checks both). The actions     *)
(* write them as TLC evaluates them, including where TLC stops (an overflow of words[2] or of -x): the      *)
(* machine must stop too and change nothing. A record with a set (a bitmap) gets no bulk reader (tag).      *)
EXTENDS Integers

CONSTANTS Ids, NoId

ASSUME NoId \notin Ids

VARIABLES box, tag

Kinds == {"none", "map", "grant"}

Item == [kind: Kinds, slot: 0..3]

Rec == [from: Ids \cup {NoId}, n: 0..7, words: [1..3 -> Int], ok: BOOLEAN, item: Item]

TypeOK == /\ box \in [Ids -> [1..2 -> Rec]]
          /\ tag \in [Ids -> [s: SUBSET Ids, k: 0..3]]

Empty == [from |-> NoId, n |-> 0, words |-> [k \in 1..3 |-> 0], ok |-> FALSE, item |-> [kind |-> "none", slot |-> 0]]

Init == /\ box = [i \in Ids |-> [j \in 1..2 |-> Empty]]
        /\ tag = [i \in Ids |-> [s |-> {}, k |-> 0]]

Put(i, j, f, x) ==
    /\ box' = [box EXCEPT ![i][j] =
                  [from |-> f,
                   n |-> (@.n + 1) % 8,
                   words |-> [k \in 1..3 |-> IF k = 1 THEN x ELSE IF k = 2 THEN @.words[2] + x ELSE -x],
                   ok |-> ~@.ok,
                   item |-> [kind |-> IF x > 0 THEN "map" ELSE IF x < 0 THEN "grant" ELSE "none",
                             slot |-> (@.item.slot + 1) % 4]]]
    /\ UNCHANGED tag

Clear(i, j) == /\ box' = [box EXCEPT ![i][j] = Empty]
               /\ UNCHANGED tag

Tag(i, o) == /\ tag' = [tag EXCEPT ![i] = [s |-> @.s \cup {o}, k |-> (@.k + 1) % 4]]
             /\ UNCHANGED box

Next == \/ \E i \in Ids, j \in 1..2, f \in Ids \cup {NoId}, x \in {0, 1, -1, 2147483647, -2147483647 - 1} :
              Put(i, j, f, x)
        \/ \E i \in Ids, j \in 1..2 : Clear(i, j)
        \/ \E i, o \in Ids : Tag(i, o)
=============================================================================
