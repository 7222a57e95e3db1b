// The app's status comment is the report's one renderer, from the marker alone; callers import it from here.
export { renderMarkerComment } from '../report/render-status-comment.ts';
