"""The read bench's queries: each scenario as our GraphQL, as hand-written Cypher returning the
same data, and as a query to the peer (the Neo4j GraphQL Library over the same graph,
bench/peer/typeDefs.graphql) where it has one.

A person's programs in our API are the union of their own enrollments and those of every
household they are a member of (`via` says which); the Cypher and the peer fetch both paths.
Where our API orders a list (members by ID number, households by number, communities by
code, people by name then id), the Cypher and the peer sort the same way.
"""

from __future__ import annotations

from typing import LiteralString

# The peer's fragment for a person's programs: own enrollments, and their households'.
PEER_PROGRAMS = """
fragment Programs on Person {
  enrolledInConnection { edges { properties { amount since } node { code } } }
  households { enrolledInConnection { edges { properties { amount since } node { code } } } }
}"""

# --- a. a person by id, their households, the members and the members' programs ----------

PERSON_GRAPHQL = """
query Person($id: ID!) {
  node(id: $id) {
    ... on Person {
      name
      households {
        household {
          number
          members { person { name programs { program { code } amount since } } }
        }
      }
    }
  }
}"""
PERSON_CYPHER: LiteralString = """
MATCH (p:Person {id: $id})
RETURN p.name AS name, COLLECT {
  MATCH (p)-[:MEMBER_OF]->(h:Household)
  WITH h ORDER BY h.number
  RETURN h {.number, members: COLLECT {
    MATCH (h)<-[:MEMBER_OF]-(m:Person)
    WITH m ORDER BY m.idNumber
    RETURN m {.name, programs: COLLECT {
      MATCH (m)-[e:ENROLLED_IN]->(g:Program)
      RETURN {code: g.code, amount: e.amount, since: e.since} AS program
      UNION ALL
      MATCH (m)-[:MEMBER_OF]->(:Household)-[e:ENROLLED_IN]->(g:Program)
      RETURN {code: g.code, amount: e.amount, since: e.since} AS program
    }}
  }}
} AS households"""
PERSON_PEER = (
    """
query Person($id: ID!) {
  people(where: {id: {eq: $id}}) {
    name
    households(sort: [{number: ASC}]) {
      number
      members(sort: [{idNumber: ASC}]) { name ...Programs }
    }
  }
}"""
    + PEER_PROGRAMS
)

# --- b. a filtered page of 50 people with their households --------------------------------

PAGE_GRAPHQL = """
query Page($region: DivisionCode!) {
  people(
    filter: {inRegion: $region, enrolledIn: {programs: [DIBAO_URBAN, DIBAO_RURAL]}}
    first: 50
  ) {
    nodes { name idNumber households { household { number address } } }
  }
}"""
PAGE_CYPHER: LiteralString = """
MATCH (p:Person)
WHERE p.divisionCode STARTS WITH $prefix
  AND (EXISTS { MATCH (p)-[:ENROLLED_IN]->(g:Program) WHERE g.code IN $programs }
       OR EXISTS { MATCH (p)-[m:MEMBER_OF]->(:Household)-[:ENROLLED_IN]->(g:Program)
                   WHERE m.until IS NULL AND g.code IN $programs })
WITH p ORDER BY p.name, p.id LIMIT 50
RETURN p.name AS name, p.idNumber AS idNumber, COLLECT {
  MATCH (p)-[:MEMBER_OF]->(h:Household)
  WITH h ORDER BY h.number
  RETURN h {.number, .address}
} AS households"""
PAGE_PEER = """
query Page($prefix: String!, $programs: [String!]!) {
  people(
    where: {
      divisionCode: {startsWith: $prefix}
      OR: [
        {enrolledIn: {some: {code: {in: $programs}}}}
        {householdsConnection: {some: {
          edge: {until: {eq: null}}
          node: {enrolledIn: {some: {code: {in: $programs}}}}
        }}}
      ]
    }
    sort: [{name: ASC}, {id: ASC}]
    limit: 50
  ) {
    name idNumber households(sort: [{number: ASC}]) { number address }
  }
}"""

# --- c. programOverlap for a city (our own aggregate view: no peer query) -----------------

OVERLAP_GRAPHQL = """
query Overlap($region: DivisionCode!) {
  programOverlap(
    programs: [DIBAO_URBAN, DIBAO_RURAL, MEDICAL_ASSISTANCE, OLD_AGE_ALLOWANCE]
    regionCode: $region
  ) {
    count
    entries { person { name } programs }
  }
}"""
OVERLAP_CYPHER: LiteralString = """
MATCH (g:Program) WHERE g.code IN $programs
CALL (g) {
  MATCH (g)<-[e:ENROLLED_IN]-(x:Person)
  WHERE (e.since IS NULL OR e.since <= $asOf) AND (e.until IS NULL OR e.until >= $asOf)
  RETURN x
  UNION
  MATCH (g)<-[e:ENROLLED_IN]-(:Household)<-[m:MEMBER_OF]-(x:Person)
  WHERE (e.since IS NULL OR e.since <= $asOf) AND (e.until IS NULL OR e.until >= $asOf)
    AND (m.since IS NULL OR m.since <= $asOf) AND (m.until IS NULL OR m.until >= $asOf)
  RETURN x
}
WITH g, x WHERE x.divisionCode STARTS WITH $prefix
WITH x, collect(DISTINCT g.code) AS codes WHERE size(codes) >= 2
WITH x, codes ORDER BY x.id
WITH collect({name: x.name, programs: codes}) AS found
RETURN size(found) AS count, found[0..20] AS entries"""
OVERLAP_NO_PEER = (
    "our own aggregate view (people in ≥ 2 programs on a day, own or through a household, "
    "counted): the library generates no such query, only a hand-written @cypher field would"
)

# --- d. search (our full-text view over every entity type: no peer query) -----------------

SEARCH_GRAPHQL = """
query Search($text: String!) {
  search(text: $text, first: 20) { score entity { __typename ... on Person { name } } }
}"""
SEARCH_CYPHER: LiteralString = """
CALL db.index.fulltext.queryNodes('entity_text', $text) YIELD node, score
RETURN labels(node)[0] AS label, node.name AS name, score
ORDER BY score DESC, node.id LIMIT 20"""
SEARCH_NO_PEER = (
    "ranks one full-text index across every entity type; the library's @fulltext queries "
    "one type at a time, so no peer query returns the same 20 hits"
)

# --- e. a page of 100 households with members and the members' programs ------------------

HOUSEHOLDS_GRAPHQL = """
query Households($region: DivisionCode!) {
  households(first: 100, filter: {inRegion: $region}) {
    nodes {
      number address
      members {
        relation
        person { name idNumber programs { program { code } amount since via } }
      }
    }
  }
}"""
# A member's programs, `via` as our API says it; `m` is the member.
MEMBER_PROGRAMS: LiteralString = """COLLECT {
      MATCH (m)-[e:ENROLLED_IN]->(g:Program)
      RETURN {code: g.code, amount: e.amount, since: e.since, via: 'PERSON'} AS program
      UNION ALL
      MATCH (m)-[:MEMBER_OF]->(:Household)-[e:ENROLLED_IN]->(g:Program)
      RETURN {code: g.code, amount: e.amount, since: e.since, via: 'HOUSEHOLD'} AS program
    }"""
HOUSEHOLDS_CYPHER: LiteralString = (
    """
MATCH (h:Household) WHERE h.divisionCode STARTS WITH $prefix
WITH h ORDER BY h.number LIMIT 100
RETURN h.number AS number, h.address AS address, COLLECT {
  MATCH (h)<-[r:MEMBER_OF]-(m:Person)
  WITH r, m ORDER BY m.idNumber
  RETURN {relation: r.relation, name: m.name, idNumber: m.idNumber, programs: """
    + MEMBER_PROGRAMS
    + """}
} AS members"""
)
HOUSEHOLDS_PEER = (
    """
query Households($prefix: String!) {
  households(where: {divisionCode: {startsWith: $prefix}}, sort: [{number: ASC}], limit: 100) {
    number address
    membersConnection(sort: [{node: {idNumber: ASC}}]) {
      edges { properties { relation } node { name idNumber ...Programs } }
    }
  }
}"""
    + PEER_PROGRAMS
)

# --- f. a tree: a township, its communities, 20 households each, their members -------------
# --- g. the same tree one level deeper: each member's programs ----------------------------

TREE_GRAPHQL = """
query Tree($township: DivisionCode!) {
  region(code: $township) {
    name
    communities {
      name
      households(first: 20) {
        items { number members { relation person { name idNumber } } }
      }
    }
  }
}"""
DEEP_GRAPHQL = """
query Deep($township: DivisionCode!) {
  region(code: $township) {
    name
    communities {
      name
      households(first: 20) {
        items {
          number
          members {
            relation
            person { name idNumber programs { program { code } amount since via } }
          }
        }
      }
    }
  }
}"""


def township_tree(member: LiteralString) -> LiteralString:
    """A township's communities → 20 households each → members, each member's map ending
    with `member` (more of its fields, or nothing)."""
    return (
        """
MATCH (t:Region {code: $township})
RETURN t.name AS name, COLLECT {
  MATCH (t)<-[:PART_OF]-(c:Community)
  WITH c ORDER BY c.code
  RETURN {name: c.name, households: COLLECT {
    MATCH (c)<-[:REGISTERED_IN]-(h:Household)
    WITH h ORDER BY h.number LIMIT 20
    RETURN {number: h.number, members: COLLECT {
      MATCH (h)<-[r:MEMBER_OF]-(m:Person)
      WITH r, m ORDER BY m.idNumber
      RETURN {relation: r.relation, name: m.name, idNumber: m.idNumber"""
        + member
        + """}
    }}
  }}
} AS communities"""
    )


TREE_CYPHER = township_tree("")
DEEP_CYPHER = township_tree(", programs: " + MEMBER_PROGRAMS)
TREE_PEER = """
query Tree($township: String!) {
  regions(where: {code: {eq: $township}}) {
    name
    communities(sort: [{code: ASC}]) {
      name
      households(sort: [{number: ASC}], limit: 20) {
        number
        membersConnection(sort: [{node: {idNumber: ASC}}]) {
          edges { properties { relation } node { name idNumber } }
        }
      }
    }
  }
}"""
DEEP_PEER = (
    """
query Deep($township: String!) {
  regions(where: {code: {eq: $township}}) {
    name
    communities(sort: [{code: ASC}]) {
      name
      households(sort: [{number: ASC}], limit: 20) {
        number
        membersConnection(sort: [{node: {idNumber: ASC}}]) {
          edges { properties { relation } node { name idNumber ...Programs } }
        }
      }
    }
  }
}"""
    + PEER_PROGRAMS
)
