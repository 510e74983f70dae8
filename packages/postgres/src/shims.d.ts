declare module 'pg'
declare module 'pg-cursor'
