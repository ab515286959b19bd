/** The demo's schemas, shared by the server and the pages (bundled for the browser too). */
import * as z from 'zod';

/** The structured output the model writes as its text. */
export const TripPlan = z.object({
  destination: z.string(),
  days: z.number().int().positive(),
  summary: z.string(),
  itinerary: z.array(z.object({ day: z.number().int(), title: z.string(), activities: z.array(z.string()) })),
  budget: z.object({ currency: z.string().length(3), total: z.number() }),
});

/** The tools of the trip-plan recording. */
export const tools = {
  get_weather: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
  book_hotel: z.object({ city: z.string(), nights: z.number().int(), guests: z.number().int(), notes: z.string().optional() }),
};

/** The arguments of the `write_file` call of the React page's recording. */
export const WriteFile = z.object({ path: z.string(), content: z.string(), overwrite: z.boolean().optional() });
