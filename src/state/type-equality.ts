/** True when A and B are assignable to each other (used to pin zod schemas to hand-written core types). */
export type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Compile-time assertion: `assertType<MutuallyAssignable<X, Y>>()` fails the build when the types drift apart. */
export function assertType<_T extends true>(): void {}
