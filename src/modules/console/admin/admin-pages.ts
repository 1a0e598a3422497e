/** The desk managers' and administrators' pages (templates/console/admin). */
export const ADMIN_PAGES = [] as const;
