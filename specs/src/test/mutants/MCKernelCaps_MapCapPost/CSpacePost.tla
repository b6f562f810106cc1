----------------------------- MODULE CSpacePost -----------------------------
(***************************************************************************)
(* What the capability operations must achieve, stated apart from the     *)
(* operators that do it (CSpace.tla), so that a wrong operator is caught   *)
(* by a formula that did not copy it.  Each effect below is written from   *)
(* the rules (L4 map/grant/copy, seL4 revoke): the slot an item lands in,  *)
(* what it holds, what it is revoked with, and that nothing else changes.  *)
(* Derivation "at any depth" is the transitive closure of the parent-child *)
(* edges, computed here by iteration rather than read off the ancestor    *)
(* sets the operators use.                                                 *)
(*                                                                         *)
(* Witnesses: situations a bug could hide in, stated as "it never happens" *)
(* so that a model that reaches them is reported violating them (the      *)
(* manifest expects that).  For the checker only; never compiled.          *)
(***************************************************************************)
EXTENDS CSpace

CapFree(x, k) == cspace[x][k].obj = NoObj

\* The entries in nodes may change; every other slot keeps its entry and its derivation.
CapOthersKeep(nodes) ==
    \A x \in Threads, k \in LocalIds :
        <<x, k>> \notin nodes => cspace'[x][k] = cspace[x][k] /\ capAnc'[x][k] = capAnc[x][k]

\* m was derived from n by one map: m's ancestors are n and n's ancestors.
CapChildOf(m, n) ==
    /\ n \in capAnc[m[1]][m[2]]
    /\ capAnc[m[1]][m[2]] = capAnc[n[1]][n[2]] \cup {n}

RECURSIVE CapClosure(_)
CapClosure(S) ==
    LET more == S \cup {m \in CapNodes : \E n \in S : CapChildOf(m, n)}
    IN  IF more = S THEN S ELSE CapClosure(more)

\* Every entry derived from n, at any depth (n itself excluded).
CapDescendants(n) == CapClosure({n}) \ {n}

(* ---------------------------- effects ---------------------------------- *)

\* Map: r's free slot s gets t's object with exactly the rights m (some right, no
\* more than t holds: an entry with no right would only use up the slot), and is
\* revoked with t's entry and with everything t's entry is revoked with.
CapMapEffect(t, r, s, l, m) ==
    /\ CapFree(r, s)
    /\ m # {}
    /\ m \subseteq cspace[t][l].rights
    /\ cspace'[r][s] = [obj |-> cspace[t][l].obj, rights |-> m, gen |-> cspace[t][l].gen]
    /\ \A n \in CapNodes : n \in capAnc'[r][s] <=> (n = <<t, l>> \/ n \in capAnc[t][l])
    /\ CapOthersKeep({<<r, s>>})

\* Grant: the entry moves.  t no longer holds it, r's slot s holds exactly it and
\* takes its place in the derivation tree (what was derived from it now is derived
\* from r's slot); nothing else changes.
CapGrantEffect(t, r, s, l) ==
    /\ CapFree(r, s)
    /\ cspace'[r][s] = cspace[t][l]
    /\ cspace'[t][l].obj = NoObj /\ cspace'[t][l].rights = {}
    /\ capAnc'[r][s] = capAnc[t][l]
    /\ capAnc'[t][l] = {}
    /\ \A x \in Threads, k \in LocalIds :
          <<x, k>> \notin {<<r, s>>, <<t, l>>} =>
              /\ cspace'[x][k] = cspace[x][k]
              /\ <<t, l>> \notin capAnc'[x][k]
              /\ (<<r, s>> \in capAnc'[x][k]) = (<<t, l>> \in capAnc[x][k])
              /\ capAnc'[x][k] \ {<<r, s>>} = capAnc[x][k] \ {<<t, l>>}

\* Copy: an independent entry with exactly the rights m (some right, no more than
\* t holds), revoked with nothing.
CapCopyEffect(t, r, s, l, m) ==
    /\ CapFree(r, s)
    /\ m # {}
    /\ m \subseteq cspace[t][l].rights
    /\ cspace'[r][s] = [obj |-> cspace[t][l].obj, rights |-> m, gen |-> cspace[t][l].gen]
    /\ capAnc'[r][s] = {}
    /\ CapOthersKeep({<<r, s>>})

\* Revoke: no entry derived from t's slot l is left, at any depth; t keeps its own
\* entry, and nothing else changes.
CapRevokeEffect(t, l) ==
    LET gone == CapDescendants(<<t, l>>) IN
    /\ \A n \in gone :
          cspace'[n[1]][n[2]].obj = NoObj /\ cspace'[n[1]][n[2]].rights = {} /\ capAnc'[n[1]][n[2]] = {}
    /\ CapOthersKeep(gone)

(* ------------- the take-grant core's own actions (MCCSpace) ------------ *)

\* Each for the slot s the call chose, whichever free one it is (CapMapEffect and
\* the others require it free).
CSpaceMapCapPost ==
    [][UNCHANGED cspaceVars \/ \A t \in Threads, d, l, s \in LocalIds, m \in SUBSET Rights :
          CSpaceMapCap(t, d, l, m, s) => CapMapEffect(t, cspace[t][d].obj, s, l, m)]_cspaceVars

CSpaceGrantCapPost ==
    [][UNCHANGED cspaceVars \/ \A t \in Threads, d, l, s \in LocalIds :
          CSpaceGrantCap(t, d, l, s) => CapGrantEffect(t, cspace[t][d].obj, s, l)]_cspaceVars

CSpaceCopyCapPost ==
    [][UNCHANGED cspaceVars \/ \A t \in Threads, d, l, s \in LocalIds, m \in SUBSET Rights :
          CSpaceCopyCap(t, d, l, m, s) => CapCopyEffect(t, cspace[t][d].obj, s, l, m)]_cspaceVars

CSpaceRevokePost ==
    [][UNCHANGED cspaceVars \/ \A t \in Threads, l \in LocalIds : CSpaceRevoke(t, l) => CapRevokeEffect(t, l)]_cspaceVars

(* ---------------------------- witnesses -------------------------------- *)

\* An entry derived three times in a row (root, child, grandchild, great-grandchild).
NoCapDepth3 == \A x \in Threads, k \in LocalIds : Cardinality(capAnc[x][k]) < 3

\* Some entry derived from n is a grandchild of n or deeper.
HasCapGrandchild(n) == \E g \in CapDescendants(n) : ~CapChildOf(g, n)

=============================================================================
