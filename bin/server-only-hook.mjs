// The CLI runs the same server code as the Next.js server, outside React's "react-server"
// condition; `server-only` would throw there, so it resolves to an empty module for the CLI.
export async function resolve(specifier, context, next) {
  if (specifier === 'server-only') return { url: 'data:text/javascript,export{}', shortCircuit: true };
  return next(specifier, context);
}
