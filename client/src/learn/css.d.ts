// Vite bundles the stylesheet imported for its side effect; the type checker only needs to know it exists.
declare module '*learn.css';
