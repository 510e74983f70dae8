declare module 'sqlite3'
