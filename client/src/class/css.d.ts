// Vite bundles the CSS a module imports for its side effect (client/src/class/class.css).
declare module '*.css';
