import { z } from 'zod';

/** The lists a view can be saved for. */
export const SAVED_VIEW_LISTS = ['devices'] as const;
export const SavedViewList = z.enum(SAVED_VIEW_LISTS);
export type SavedViewList = z.infer<typeof SavedViewList>;

const MAX_FILTERS = 2000;

/**
 * The list's address query without paging ("status=in_service&school=…"). Kept as the web app writes it; the
 * list reads it with the same rules as any link, so a view can hold nothing the list would not accept.
 */
const Filters = z
  .string()
  .trim()
  .max(MAX_FILTERS, `Filters can be at most ${MAX_FILTERS} characters`)
  .transform((value) => (value.startsWith('?') ? value.slice(1) : value))
  .refine((value) => !/[\s#]/.test(value), 'Filters are an encoded query string, without spaces or #');

const Columns = z
  .array(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,59}$/, 'A column is named by its id'))
  .max(60);

const Name = z.string().trim().min(1, 'Give the view a name').max(80, 'Names can be at most 80 characters');

export const SavedView = z.object({
  id: z.uuid(),
  list: SavedViewList,
  name: z.string(),
  filters: z.string(),
  columns: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SavedView = z.infer<typeof SavedView>;

export const SavedViewListResponse = z.object({ views: z.array(SavedView) });
export type SavedViewListResponse = z.infer<typeof SavedViewListResponse>;

export const SavedViewQuery = z.strictObject({ list: SavedViewList });

export const CreateSavedViewRequest = z.strictObject({
  list: SavedViewList,
  name: Name,
  filters: Filters,
  columns: Columns,
});
export type CreateSavedViewRequest = z.input<typeof CreateSavedViewRequest>;

export const UpdateSavedViewRequest = z
  .strictObject({ name: Name.optional(), filters: Filters.optional(), columns: Columns.optional() })
  .refine((body) => Object.keys(body).length > 0, 'Nothing to change');
export type UpdateSavedViewRequest = z.input<typeof UpdateSavedViewRequest>;
