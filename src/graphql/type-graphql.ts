// type-graphql's decorators read the Reflect metadata API when a class is
// declared; importing them from here guarantees the polyfill is loaded first,
// whatever module a test or script happens to import first.
import 'reflect-metadata';

export * from 'type-graphql';
