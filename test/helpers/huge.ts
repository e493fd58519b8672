// Sources with sizes no process could allocate, for the bounded-work tests of the server and the
// CLI (issue 18): hints of 2^35, 2^40 and 1e15, loops of as many iterations, and a map literal
// with a million entries written out.

export const HUGE = `package huge

func hinted35() map[int]int {
	m := make(map[int]int, 34359738368)
	m[1] = 1
	return m
}

func hinted40() map[int]int {
	return make(map[int]int, 1<<40)
}

func hinted15() map[int]int {
	return make(map[int]int, 1e15)
}

func loop35() map[int]int {
	m := make(map[int]int)
	for i := 0; i < 34359738368; i++ {
		m[i] = i
	}
	return m
}

func loop40() map[int]int {
	m := make(map[int]int)
	for i := 0; i < 1099511627776; i++ {
		m[i] = i
	}
	return m
}

func loop15() map[int]int {
	m := make(map[int]int)
	for i := 0; i < 1000000000000000; i++ {
		m[i] = i
	}
	return m
}
`;

/** A map literal with a million entries, written out. */
export function millionLiteral(): string {
  const parts = ['package lit\n\nvar table = map[int]int{\n'];
  for (let i = 0; i < 1_000_000; i++) parts.push(`\t${i}: ${i},\n`);
  parts.push('}\n');
  return parts.join('');
}
