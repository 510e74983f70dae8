declare module 'mysql2'
